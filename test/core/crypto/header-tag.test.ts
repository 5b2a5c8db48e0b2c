import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { headerTag, headerTagMatches } from '../../../core/crypto/header-tag';

describe('header tag', () => {
  const key = randomBytes(32);
  const bytes = Buffer.from('EARMARKB\0\0\0\x02{}', 'latin1');

  it('is HMAC-SHA256 under a key derived from the batch key for this purpose and batch', () => {
    const derived = Buffer.from(
      hkdfSync('sha256', key, Buffer.alloc(0), Buffer.from('earmark/v1\0header-tag\0b-AAAAAAAAAAAAAAA1', 'utf8'), 32),
    );
    const tag = headerTag(key, 'b-AAAAAAAAAAAAAAA1', bytes);
    expect(tag.equals(createHmac('sha256', derived).update(bytes).digest())).toBe(true);
    // Never the batch key itself.
    expect(tag.equals(createHmac('sha256', key).update(bytes).digest())).toBe(false);
  });

  it('matches only the same bytes, batch and key', () => {
    const tag = headerTag(key, 'b-AAAAAAAAAAAAAAA1', bytes);
    expect(headerTagMatches(key, 'b-AAAAAAAAAAAAAAA1', bytes, tag)).toBe(true);
    const other = Buffer.from(bytes);
    other[other.length - 1] = (other[other.length - 1] ?? 0) ^ 0x01;
    expect(headerTagMatches(key, 'b-AAAAAAAAAAAAAAA1', other, tag)).toBe(false);
    expect(headerTagMatches(key, 'b-AAAAAAAAAAAAAAA2', bytes, tag)).toBe(false);
    expect(headerTagMatches(randomBytes(32), 'b-AAAAAAAAAAAAAAA1', bytes, tag)).toBe(false);
  });

  it('refuses a tag of the wrong length without throwing', () => {
    const tag = headerTag(key, 'b-AAAAAAAAAAAAAAA1', bytes);
    expect(headerTagMatches(key, 'b-AAAAAAAAAAAAAAA1', bytes, tag.subarray(0, 16))).toBe(false);
    expect(headerTagMatches(key, 'b-AAAAAAAAAAAAAAA1', bytes, Buffer.alloc(0))).toBe(false);
  });
});
