import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aad, AuthenticationError, IV_BYTES, open, seal, TAG_BYTES, type Sealed } from '../../../core/crypto/aead';

const key = randomBytes(32);
const plaintext = Buffer.from('turn the living room lights off', 'utf8');
const where = aad('clip', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1');

const flipped = (b: Buffer, at = 0): Buffer => {
  const copy = Buffer.from(b);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

/** Asserts that opening fails authentication, and that nothing was handed back. */
function expectRefused(k: Buffer, sealed: Sealed, associated: Buffer): void {
  let returned: Buffer | undefined;
  expect(() => {
    returned = open(k, sealed, associated);
  }).toThrow(AuthenticationError);
  expect(returned).toBeUndefined();
}

describe('AES-256-GCM seal/open', () => {
  it('opens what it sealed, byte for byte', () => {
    const sealed = seal(key, plaintext, where);
    expect(sealed.ciphertext.equals(plaintext)).toBe(false);
    expect(open(key, sealed, where).equals(plaintext)).toBe(true);
  });

  it('round-trips empty and binary plaintext', () => {
    const binary = randomBytes(4096);
    expect(open(key, seal(key, binary, where), where).equals(binary)).toBe(true);
    expect(open(key, seal(key, Buffer.alloc(0), where), where).length).toBe(0);
  });

  it('uses a fresh 96-bit IV for every seal', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 1000; i += 1) {
      const { iv } = seal(key, plaintext, where);
      expect(iv.length).toBe(IV_BYTES);
      ivs.add(iv.toString('hex'));
    }
    expect(IV_BYTES).toBe(12);
    expect(ivs.size).toBe(1000);
  });

  it('produces a full 16-byte tag', () => {
    expect(TAG_BYTES).toBe(16);
    expect(seal(key, plaintext, where).tag.length).toBe(16);
  });

  it('refuses a key that is not 256 bits', () => {
    expect(() => seal(randomBytes(16), plaintext, where)).toThrow(/32-byte key/);
    expectRefused(randomBytes(16), seal(key, plaintext, where), where);
  });

  it('fails authentication when a ciphertext bit is flipped', () => {
    const sealed = seal(key, plaintext, where);
    expectRefused(key, { ...sealed, ciphertext: flipped(sealed.ciphertext, 5) }, where);
  });

  it('hands out IVs that later seals neither change nor repeat', () => {
    const first = seal(key, plaintext, where);
    const firstHex = first.iv.toString('hex');
    const later = Array.from({ length: 600 }, () => seal(key, plaintext, where).iv.toString('hex'));

    expect(first.iv.toString('hex')).toBe(firstHex);
    expect(later).not.toContain(firstHex);
    expect(later).not.toContain('00'.repeat(IV_BYTES));
    expect(open(key, first, where).equals(plaintext)).toBe(true);
  });

  it('fails authentication when an IV bit is flipped', () => {
    const sealed = seal(key, plaintext, where);
    expectRefused(key, { ...sealed, iv: flipped(sealed.iv) }, where);
  });

  it('fails authentication when a tag bit is flipped', () => {
    const sealed = seal(key, plaintext, where);
    expectRefused(key, { ...sealed, tag: flipped(sealed.tag, 15) }, where);
  });

  it('refuses a truncated tag rather than checking fewer bits', () => {
    const sealed = seal(key, plaintext, where);
    expectRefused(key, { ...sealed, tag: sealed.tag.subarray(0, 12) }, where);
    expectRefused(key, { ...sealed, tag: sealed.tag.subarray(0, 4) }, where);
  });

  it('refuses a truncated or lengthened ciphertext', () => {
    const sealed = seal(key, plaintext, where);
    expectRefused(key, { ...sealed, ciphertext: sealed.ciphertext.subarray(0, sealed.ciphertext.length - 1) }, where);
    expectRefused(key, { ...sealed, ciphertext: Buffer.concat([sealed.ciphertext, Buffer.from([0])]) }, where);
  });

  it('fails authentication when the clip ids in the associated data are swapped', () => {
    const one = seal(key, plaintext, aad('clip', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1'));
    const two = seal(key, Buffer.from('another clip'), aad('clip', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA2'));
    expectRefused(key, one, aad('clip', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA2'));
    expectRefused(key, two, aad('clip', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1'));
  });

  it('fails authentication when the batch id or the purpose in the associated data changes', () => {
    const sealed = seal(key, plaintext, aad('clip', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1'));
    expectRefused(key, sealed, aad('clip', 'b-AAAAAAAAAAAAAAA2', 'c-AAAAAAAAAAAAAAA1'));
    expectRefused(key, sealed, aad('meta', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1'));
  });

  it('fails authentication under another key', () => {
    expectRefused(randomBytes(32), seal(key, plaintext, where), where);
  });

  it('names what failed in the error, and no plaintext', () => {
    const sealed = seal(key, plaintext, where);
    const attempt = () => open(key, { ...sealed, tag: flipped(sealed.tag) }, where, 'The clip audio');
    expect(attempt).toThrow(/^The clip audio failed authentication/);
    expect(attempt).not.toThrow(/living room/);
  });

  it('builds associated data from a version label, a purpose and the ids', () => {
    expect(aad('clip', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1').toString('utf8')).toBe(
      'earmark/v1\0clip\0b-AAAAAAAAAAAAAAA1\0c-AAAAAAAAAAAAAAA1',
    );
  });
});
