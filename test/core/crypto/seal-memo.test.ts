import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { aad, AuthenticationError, KEY_BYTES, type Sealed } from '../../../core/crypto/aead';
import { CodecError, openJson, sealJson } from '../../../core/crypto/codec';
import { createSealMemo } from '../../../core/crypto/seal-memo';

const noteSchema = z.strictObject({ note: z.string(), count: z.int() });
const where = aad('note', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1');
const elsewhere = aad('note', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA2');

const flipped = (b: Buffer): Buffer => {
  const copy = Buffer.from(b);
  copy[0] = (copy[0] ?? 0) ^ 1;
  return copy;
};

describe('seal memo', () => {
  it('answers a read of what it sealed without opening, with the same typed value', () => {
    const key = randomBytes(KEY_BYTES);
    const memo = createSealMemo(8);
    const sealed = sealJson(key, { note: 'Grüße ✓', count: 3 }, where, memo);
    expect(openJson(key, sealed, where, noteSchema, 'Note', memo)).toEqual({ note: 'Grüße ✓', count: 3 });
    expect(memo.stats()).toEqual({ size: 1, hits: 1 });
    // Read back as a database row would give it: new buffers with the same bytes.
    const fromRow: Sealed = {
      iv: Buffer.from(sealed.iv),
      tag: Buffer.from(sealed.tag),
      ciphertext: Buffer.from(sealed.ciphertext),
    };
    expect(openJson(key, fromRow, where, noteSchema, 'Note', memo)).toEqual({ note: 'Grüße ✓', count: 3 });
    expect(memo.stats().hits).toBe(2);
  });

  it('never vouches for altered bytes: a changed tag, ciphertext or IV goes to the real open and is refused', () => {
    const key = randomBytes(KEY_BYTES);
    const memo = createSealMemo(8);
    const sealed = sealJson(key, { note: 'x', count: 1 }, where, memo);
    for (const altered of [
      { ...sealed, tag: flipped(sealed.tag) },
      { ...sealed, ciphertext: flipped(sealed.ciphertext) },
      { ...sealed, iv: flipped(sealed.iv) },
    ]) {
      expect(() => openJson(key, altered, where, noteSchema, 'Note', memo)).toThrow(AuthenticationError);
    }
    expect(memo.stats().hits).toBe(0);
  });

  it('never vouches for a value moved to another place (other associated data)', () => {
    const key = randomBytes(KEY_BYTES);
    const memo = createSealMemo(8);
    const sealed = sealJson(key, { note: 'x', count: 1 }, where, memo);
    expect(() => openJson(key, sealed, elsewhere, noteSchema, 'Note', memo)).toThrow(AuthenticationError);
    expect(memo.stats().hits).toBe(0);
  });

  it('answers only for the key buffer that sealed: another key, or the same bytes derived again, opens for real', () => {
    const key = randomBytes(KEY_BYTES);
    const memo = createSealMemo(8);
    const sealed = sealJson(key, { note: 'x', count: 1 }, where, memo);
    expect(() => openJson(randomBytes(KEY_BYTES), sealed, where, noteSchema, 'Note', memo)).toThrow(
      AuthenticationError,
    );
    // A key dropped at the lock and derived again is a new buffer: a real open, which succeeds.
    expect(openJson(Buffer.from(key), sealed, where, noteSchema, 'Note', memo)).toEqual({ note: 'x', count: 1 });
    expect(memo.stats().hits).toBe(0);
    // Zero-filling the sealing key (as the lock does) leaves nothing the memo could answer with it.
    key.fill(0);
    expect(() => openJson(key, sealed, where, noteSchema, 'Note', memo)).toThrow(AuthenticationError);
    expect(memo.stats().hits).toBe(0);
  });

  it('is not changed by what the caller does with its buffers after sealing', () => {
    const key = randomBytes(KEY_BYTES);
    const memo = createSealMemo(8);
    const sealed = sealJson(key, { note: 'x', count: 1 }, where, memo);
    const original = Buffer.from(sealed.ciphertext);
    sealed.ciphertext.fill(0);
    expect(() => openJson(key, sealed, where, noteSchema, 'Note', memo)).toThrow(AuthenticationError);
    expect(openJson(key, { ...sealed, ciphertext: original }, where, noteSchema, 'Note', memo)).toEqual({
      note: 'x',
      count: 1,
    });
    expect(memo.stats().hits).toBe(1);
  });

  it('checks a remembered value against the schema like an opened one', () => {
    const key = randomBytes(KEY_BYTES);
    const memo = createSealMemo(8);
    const sealed = sealJson(key, { note: 'x', count: 1.5 }, where, memo);
    expect(() => openJson(key, sealed, where, noteSchema, 'Note', memo)).toThrow(CodecError);
    expect(memo.stats().hits).toBe(1);
  });

  it('checks a remembered value once per schema, and each later read gets its own equal value', () => {
    const key = randomBytes(KEY_BYTES);
    const memo = createSealMemo(8);
    const checks = vi.fn();
    const counted = noteSchema.check(() => {
      checks();
    });
    const sealed = sealJson(key, { note: 'x', count: 1 }, where, memo);
    const first = openJson(key, sealed, where, counted, 'Note', memo);
    const second = openJson(key, sealed, where, counted, 'Note', memo);
    expect(checks).toHaveBeenCalledTimes(1);
    expect(second).toEqual(first);
    // A fresh value: what one reader changes, the next does not see.
    expect(second).not.toBe(first);
    (second as { note: string }).note = 'changed';
    expect(openJson(key, sealed, where, counted, 'Note', memo)).toEqual({ note: 'x', count: 1 });
    // Another schema checks for itself.
    expect(() => openJson(key, sealed, where, z.strictObject({ note: z.string() }), 'Note', memo)).toThrow(CodecError);
    expect(memo.stats().hits).toBe(4);
  });

  it('keeps checking where the schema gives back something the text does not say', () => {
    const key = randomBytes(KEY_BYTES);
    const memo = createSealMemo(8);
    let checks = 0;
    const dated = z.strictObject({ at: z.string().transform((s) => new Date(s)) }).check(() => {
      checks += 1;
    });
    const stripped = z.object({ note: z.string() }).check(() => {
      checks += 1;
    });
    const at = new Date(0).toISOString();
    const when = sealJson(key, { at }, where, memo);
    const extra = sealJson(key, { note: 'x', more: 1 }, where, memo);
    for (let i = 0; i < 3; i += 1) {
      // A Date writes out to the same text, but is not what the text parses to: never skipped.
      expect(openJson(key, when, where, dated, 'When', memo).at).toBeInstanceOf(Date);
      // A key the schema drops: the text says more than the value.
      expect(openJson(key, extra, where, stripped, 'Note', memo)).toEqual({ note: 'x' });
    }
    expect(checks).toBe(6);
  });

  it('checks a value opened for real every time: only what this memo sealed is vouched for', () => {
    const key = randomBytes(KEY_BYTES);
    const memo = createSealMemo(8);
    const checks = vi.fn();
    const counted = noteSchema.check(() => {
      checks();
    });
    const sealed = sealJson(key, { note: 'x', count: 1 }, where);
    openJson(key, sealed, where, counted, 'Note', memo);
    openJson(key, sealed, where, counted, 'Note', memo);
    expect(checks).toHaveBeenCalledTimes(2);
    expect(memo.stats()).toEqual({ size: 0, hits: 0 });
  });

  it('holds at most its capacity, dropping the oldest first, and nothing after clear()', () => {
    const key = randomBytes(KEY_BYTES);
    const memo = createSealMemo(3);
    const sealed = [1, 2, 3, 4].map((count) => sealJson(key, { note: 'n', count }, where, memo));
    expect(memo.stats().size).toBe(3);
    const [first, ...rest] = sealed;
    // The oldest was dropped: it opens for real. The others are answered from memory.
    expect(openJson(key, first as Sealed, where, noteSchema, 'Note', memo).count).toBe(1);
    expect(memo.stats().hits).toBe(0);
    expect(rest.map((s) => openJson(key, s, where, noteSchema, 'Note', memo).count)).toEqual([2, 3, 4]);
    expect(memo.stats().hits).toBe(3);
    memo.clear();
    expect(memo.stats().size).toBe(0);
    expect(openJson(key, rest[0] as Sealed, where, noteSchema, 'Note', memo).count).toBe(2);
    expect(memo.stats().hits).toBe(3);
  });
});
