/**
 * What this process sealed lately, kept with its plaintext, so reading a value back soon after it
 * was written (a submit's own answer, the next sync's upload of it) costs a byte comparison
 * instead of an AES-GCM open.
 *
 * An entry answers only for the exact bytes it was sealed as: the same key (the very buffer, still
 * holding the bytes it sealed with, so a key zero-filled at the lock, or dropped and derived again,
 * never matches), IV, tag, ciphertext and associated data. Those are everything a successful open checks, and under one key GCM opens those bytes to
 * that plaintext and to nothing else; anything altered, moved to another row or sealed by someone
 * else misses and goes through the real open, which refuses it as before. The plaintext stays in
 * memory only, the memo is bounded (the oldest entry goes first), and its owner clears it with the
 * key at the lock.
 */
import type { Sealed } from './aead';

type Entry = {
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
  readonly associated: Buffer;
  readonly plaintext: string;
  /** Checkers (schemas) that have accepted this plaintext: see {@link MemoHit}. */
  readonly checked: Set<object>;
};

/**
 * What a recall found: the plaintext, and the checkers that accepted it before. A reader that
 * checks the plaintext (codec.ts: a schema) may record its checker here once it accepted it, and
 * skip the check on a later recall of the same entry: the bytes, key and associated data are the
 * same, so the plaintext is too.
 */
export type MemoHit = { readonly plaintext: string; readonly checked: Set<object> };

export type SealMemo = ReturnType<typeof createSealMemo>;

export function createSealMemo(capacity: number) {
  // Keyed by the IV: a fresh random 96-bit value for every seal.
  const entries = new Map<string, Entry>();
  // One key at a time: the buffer sealed with, and a copy of its bytes to notice it zero-filled.
  let sealing: { readonly key: Buffer; readonly bytes: Buffer } | null = null;
  let hits = 0;
  const clear = (): void => {
    entries.clear();
    sealing?.bytes.fill(0);
    sealing = null;
  };
  return {
    /** Records that `sealed` (under `key`, bound to `associated`) holds `plaintext`. */
    remember(key: Buffer, sealed: Sealed, associated: Buffer, plaintext: string): void {
      if (sealing?.key !== key || !sealing.bytes.equals(key)) {
        clear();
        sealing = { key, bytes: Buffer.from(key) };
      }
      const id = sealed.iv.toString('latin1');
      entries.delete(id);
      // Copies: what the caller does with its buffers afterwards cannot change what this answers for.
      entries.set(id, {
        tag: Buffer.from(sealed.tag),
        ciphertext: Buffer.from(sealed.ciphertext),
        associated: Buffer.from(associated),
        plaintext,
        checked: new Set(),
      });
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (!oldest.done) {
          entries.delete(oldest.value);
        }
      }
    },
    /** What `sealed` opens to under `key` and `associated`, when this memo sealed exactly those bytes. */
    recall(key: Buffer, sealed: Sealed, associated: Buffer): MemoHit | undefined {
      const e = entries.get(sealed.iv.toString('latin1'));
      if (
        e === undefined ||
        sealing?.key !== key ||
        !sealing.bytes.equals(key) ||
        !e.tag.equals(sealed.tag) ||
        !e.associated.equals(associated) ||
        !e.ciphertext.equals(sealed.ciphertext)
      ) {
        return undefined;
      }
      hits += 1;
      return e;
    },
    /** Drops every entry (at the lock, with the key). */
    clear,
    /** Entries held, and reads answered from them: for tests. */
    stats: (): { readonly size: number; readonly hits: number } => ({ size: entries.size, hits }),
  };
}
