/**
 * AES-256-GCM with the sizes this app commits to: 256-bit keys, a fresh random 96-bit IV for
 * every message and a full 16-byte tag. Associated data binds each ciphertext to where it
 * belongs, so a clip cannot be swapped into another clip's or batch's place.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export type Sealed = { readonly iv: Buffer; readonly tag: Buffer; readonly ciphertext: Buffer };

/** IVs drawn from the random generator at a time: one call per message cost as much as sealing a small one. */
const IV_POOL_BYTES = IV_BYTES * 256;
let ivPool = Buffer.alloc(0);
let ivPoolAt = 0;

/** A fresh random IV: each one is handed out once, copied out of the pool and then cleared from it. */
function freshIv(): Buffer {
  if (ivPoolAt + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivPoolAt = 0;
  }
  const slot = ivPool.subarray(ivPoolAt, ivPoolAt + IV_BYTES);
  ivPoolAt += IV_BYTES;
  const iv = Buffer.from(slot);
  slot.fill(0);
  return iv;
}

/** Raised when a ciphertext, IV, tag or associated data does not authenticate. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(what: string) {
    super(`${what} failed authentication: it was altered, truncated or is for another key.`);
  }
}

/** Associated data: a purpose label and the ids it belongs to, NUL-separated. */
export function aad(purpose: string, ...ids: readonly string[]): Buffer {
  return Buffer.from(['earmark/v1', purpose, ...ids].join('\0'), 'utf8');
}

/** `update`'s output and `final`'s; GCM's `final` gives nothing, so no copy is made of a clip. */
const joined = (head: Buffer, tail: Buffer): Buffer => (tail.length === 0 ? head : Buffer.concat([head, tail]));

export function seal(key: Buffer, plaintext: Uint8Array, associated: Buffer): Sealed {
  if (key.length !== KEY_BYTES) {
    throw new Error(`AES-256-GCM needs a ${KEY_BYTES}-byte key.`);
  }
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associated);
  const ciphertext = joined(cipher.update(plaintext), cipher.final());
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/**
 * Decrypts and verifies. Nothing is returned unless the tag verifies, so no byte of a failed
 * decryption can reach a caller.
 */
export function open(key: Buffer, sealed: Sealed, associated: Buffer, what = 'Data'): Buffer {
  if (key.length !== KEY_BYTES || sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new AuthenticationError(what);
  }
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associated);
  decipher.setAuthTag(sealed.tag);
  const head = decipher.update(sealed.ciphertext);
  try {
    return joined(head, decipher.final());
  } catch {
    head.fill(0);
    throw new AuthenticationError(what);
  }
}
