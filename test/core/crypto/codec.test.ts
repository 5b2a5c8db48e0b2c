import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aad, AuthenticationError, KEY_BYTES, open, seal } from '../../../core/crypto/aead';
import {
  CodecError,
  decodeSealedPart,
  decodeWrappedKey,
  encodeSealedPart,
  encodeWrappedKey,
  openJson,
  sealedFromBytes,
  sealedToBytes,
  sealJson,
  wrappedKeyFromBytes,
  wrappedKeyToBytes,
} from '../../../core/crypto/codec';
import { generateDeviceKey } from '../../../core/crypto/device-key';
import { unwrapBatchKey, wrapBatchKey } from '../../../core/crypto/key-wrap';

const noteSchema = z.strictObject({ note: z.string(), count: z.int() });
const key = randomBytes(KEY_BYTES);
const where = aad('note', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1');

describe('sealJson and openJson', () => {
  it('round-trips a value to the typed value it sealed', () => {
    const sealed = sealJson(key, { note: 'Grüße ✓', count: 3 }, where);
    expect(sealed.ciphertext.includes(Buffer.from('Grüße'))).toBe(false);
    expect(openJson(key, sealed, where, noteSchema)).toEqual({ note: 'Grüße ✓', count: 3 });
  });

  it('refuses other associated data', () => {
    const sealed = sealJson(key, { note: 'x', count: 1 }, where);
    expect(() => openJson(key, sealed, aad('note', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA2'), noteSchema)).toThrow(
      AuthenticationError,
    );
  });

  it('refuses a ciphertext, tag or IV with one byte changed', () => {
    const sealed = sealJson(key, { note: 'x', count: 1 }, where);
    for (const part of ['ciphertext', 'tag', 'iv'] as const) {
      const bytes = Buffer.from(sealed[part]);
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      expect(() => openJson(key, { ...sealed, [part]: bytes }, where, noteSchema)).toThrow(AuthenticationError);
    }
  });

  it('refuses a value that authenticates but is not the shape asked for', () => {
    const sealed = sealJson(key, { note: 'x', count: 'one' }, where);
    expect(() => openJson(key, sealed, where, noteSchema, 'The note')).toThrow(CodecError);
    expect(() => openJson(key, sealed, where, noteSchema, 'The note')).toThrow('The note is not in the expected form.');
  });

  it('refuses sealed bytes that are not JSON', () => {
    const sealed = seal(key, Buffer.from('{not json', 'utf8'), where);
    expect(() => openJson(key, sealed, where, noteSchema)).toThrow(CodecError);
  });
});

describe('sealed values as bytes and as package parts', () => {
  it('joins IV, tag and ciphertext into one buffer and splits them back', () => {
    const sealed = seal(key, Buffer.from('secret'), where);
    const joined = sealedToBytes(sealed);
    expect(joined.length).toBe(sealed.iv.length + sealed.tag.length + sealed.ciphertext.length);
    expect(open(key, sealedFromBytes(joined), where).toString()).toBe('secret');
  });

  it('gives a short buffer parts that open refuses', () => {
    expect(() => open(key, sealedFromBytes(Buffer.alloc(20)), where)).toThrow(AuthenticationError);
  });

  it('describes a part as a header does and joins it with its ciphertext again', () => {
    const sealed = seal(key, Buffer.from('audio'), where);
    const part = encodeSealedPart(sealed);
    expect(part).toEqual({
      size: sealed.ciphertext.length,
      iv: sealed.iv.toString('base64'),
      tag: sealed.tag.toString('base64'),
    });
    expect(open(key, decodeSealedPart(part, sealed.ciphertext), where).toString()).toBe('audio');
  });
});

describe('wrapped keys', () => {
  const device = generateDeviceKey();
  const batchKey = randomBytes(KEY_BYTES);
  const wrapped = wrapBatchKey(batchKey, device.publicKey, 'b-AAAAAAAAAAAAAAA1');

  it('encodes as the package headers carry it: the key id and base64 of every buffer', () => {
    const encoded = encodeWrappedKey(wrapped);
    expect(Object.keys(encoded)).toEqual(['keyId', 'ephemeralPublicKey', 'salt', 'iv', 'tag', 'wrappedKey']);
    expect(encoded.keyId).toBe(device.keyId);
    expect(encoded.wrappedKey).toBe(wrapped.wrappedKey.toString('base64'));
    expect(unwrapBatchKey(decodeWrappedKey(encoded), device, 'b-AAAAAAAAAAAAAAA1')).toEqual(batchKey);
  });

  it('round-trips through stored bytes', () => {
    const stored = wrappedKeyToBytes(wrapped);
    expect(JSON.parse(stored.toString('utf8'))).toEqual(encodeWrappedKey(wrapped));
    expect(unwrapBatchKey(wrappedKeyFromBytes(stored), device, 'b-AAAAAAAAAAAAAAA1')).toEqual(batchKey);
  });

  it('refuses stored bytes in any other form', () => {
    expect(() => wrappedKeyFromBytes(Buffer.from('{"e":"AAAA"}'))).toThrow(CodecError);
    expect(() => wrappedKeyFromBytes(Buffer.from('not json'))).toThrow(CodecError);
  });

  it('a wrap with one byte changed does not unwrap', () => {
    const encoded = encodeWrappedKey(wrapped);
    const flipped = Buffer.from(encoded.wrappedKey, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const tampered = decodeWrappedKey({ ...encoded, wrappedKey: flipped.toString('base64') });
    expect(() => unwrapBatchKey(tampered, device, 'b-AAAAAAAAAAAAAAA1')).toThrow(AuthenticationError);
  });
});
