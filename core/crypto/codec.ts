/**
 * The one place sealed values and wrapped keys are turned into bytes, text and JSON and back.
 * Packages, the results package, the vault, drafts, escalations and lock verifiers all go
 * through here, so a sealed value has one shape (`iv`, `tag`, `ciphertext`) and a wrapped key
 * one encoding (the key id, and every buffer in base64, as the package headers carry it).
 */
import { z } from 'zod';
import { IV_BYTES, open, seal, TAG_BYTES, type Sealed } from './aead';
import type { WrappedKey } from './key-wrap';
import type { SealMemo } from './seal-memo';

const b64 = (b: Buffer): string => b.toString('base64');
const bytes = (s: string): Buffer => Buffer.from(s, 'base64');

/** Raised when bytes that authenticate, or need no authentication, are not in the form asked for. */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    what: string,
    /** The parse or schema error, for callers that report its detail. */
    override readonly cause: unknown,
  ) {
    super(`${what} is not in the expected form.`);
  }
}

/** Seals `value` as UTF-8 JSON, bound to `associated`; `memo`, when given, remembers what it holds. */
export function sealJson(key: Buffer, value: unknown, associated: Buffer, memo?: SealMemo): Sealed {
  const json = JSON.stringify(value);
  const plain = Buffer.from(json, 'utf8');
  try {
    const sealed = seal(key, plain, associated);
    memo?.remember(key, sealed, associated, json);
    return sealed;
  } finally {
    plain.fill(0);
  }
}

/** The JSON text `sealed` holds: from `memo` when it sealed exactly these bytes, else opened. */
function openText(key: Buffer, sealed: Sealed, associated: Buffer, what: string): string {
  const plain = open(key, sealed, associated, what);
  try {
    return plain.toString('utf8');
  } finally {
    plain.fill(0);
  }
}

/** Whether `value` is made of what JSON carries alone: no Date, undefined or other object a schema may make. */
function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return true;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value);
  }
  if (Array.isArray(value)) {
    return value.every(isPlainJson);
  }
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) {
    return false;
  }
  return Object.values(value).every(isPlainJson);
}

/**
 * Opens a value sealed by `sealJson` and checks it against `schema`, so the caller gets a
 * typed value or an error, never a guess. A value `memo` sealed is read from it, parsed and
 * checked the same way — once: a schema that accepted an entry's plaintext, and gave back a
 * value that is plain JSON and writes out to that same text, is recorded on the entry, and a
 * later read of it returns the parsed text unchecked, which is equal to what the check would
 * give. A schema used with a memo must therefore decide by the text alone (no refinement on the
 * time or other state). Throws AuthenticationError when the ciphertext or associated data does
 * not verify, CodecError when it verifies but does not parse.
 */
export function openJson<S extends z.ZodType>(
  key: Buffer,
  sealed: Sealed,
  associated: Buffer,
  schema: S,
  what = 'Data',
  memo?: SealMemo,
): z.infer<S> {
  const hit = memo?.recall(key, sealed, associated);
  const text = hit ? hit.plaintext : openText(key, sealed, associated, what);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CodecError(what, error);
  }
  if (hit?.checked.has(schema)) {
    return raw as z.infer<S>;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new CodecError(what, parsed.error);
  }
  if (hit && isPlainJson(parsed.data) && JSON.stringify(parsed.data) === text) {
    hit.checked.add(schema);
  }
  return parsed.data;
}

/** A sealed value in one buffer: IV, tag, then ciphertext. */
export const sealedToBytes = (s: Sealed): Buffer => Buffer.concat([s.iv, s.tag, s.ciphertext]);

/** The inverse of `sealedToBytes`; a short buffer gives parts that `open` refuses. */
export const sealedFromBytes = (raw: Buffer): Sealed => ({
  iv: raw.subarray(0, IV_BYTES),
  tag: raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
  ciphertext: raw.subarray(IV_BYTES + TAG_BYTES),
});

/** A sealed value as one base64 text (IV, tag, ciphertext): the form a settings row holds. */
export const sealedToText = (s: Sealed): string => sealedToBytes(s).toString('base64');

/** The inverse of `sealedToText`. */
export const sealedFromText = (text: string): Sealed => sealedFromBytes(Buffer.from(text, 'base64'));

/** How a package header describes one sealed part: its size, IV and tag; the ciphertext follows the header. */
export type SealedPart = { readonly size: number; readonly iv: string; readonly tag: string };

export const encodeSealedPart = (s: Sealed): SealedPart => ({
  size: s.ciphertext.length,
  iv: b64(s.iv),
  tag: b64(s.tag),
});

/** Joins a header's description of a part with the ciphertext read from the body. */
export const decodeSealedPart = (part: Omit<SealedPart, 'size'>, ciphertext: Buffer): Sealed => ({
  iv: bytes(part.iv),
  tag: bytes(part.tag),
  ciphertext,
});

/** A wrapped key as packages, the results package and local storage carry it. */
export type EncodedWrappedKey = { readonly [K in keyof WrappedKey]: string };

export function encodeWrappedKey(w: WrappedKey): EncodedWrappedKey {
  return {
    keyId: w.keyId,
    ephemeralPublicKey: b64(w.ephemeralPublicKey),
    salt: b64(w.salt),
    iv: b64(w.iv),
    tag: b64(w.tag),
    wrappedKey: b64(w.wrappedKey),
  };
}

export function decodeWrappedKey(e: EncodedWrappedKey): WrappedKey {
  return {
    keyId: e.keyId,
    ephemeralPublicKey: bytes(e.ephemeralPublicKey),
    salt: bytes(e.salt),
    iv: bytes(e.iv),
    tag: bytes(e.tag),
    wrappedKey: bytes(e.wrappedKey),
  };
}

const encodedWrappedKeySchema = z.strictObject({
  keyId: z.string(),
  ephemeralPublicKey: z.base64(),
  salt: z.base64(),
  iv: z.base64(),
  tag: z.base64(),
  wrappedKey: z.base64(),
});

/** A wrapped key as stored bytes: its encoding, as UTF-8 JSON. */
export const wrappedKeyToBytes = (w: WrappedKey): Buffer => Buffer.from(JSON.stringify(encodeWrappedKey(w)), 'utf8');

/** The inverse of `wrappedKeyToBytes`; throws CodecError for anything else. */
export function wrappedKeyFromBytes(raw: Buffer): WrappedKey {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new CodecError('A stored wrapped key', error);
  }
  const parsed = encodedWrappedKeySchema.safeParse(json);
  if (!parsed.success) {
    throw new CodecError('A stored wrapped key', parsed.error);
  }
  return decodeWrappedKey(parsed.data);
}
