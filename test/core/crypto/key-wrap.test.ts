import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../../core/crypto/aead';
import {
  deviceKeyFromPem,
  generateDeviceKey,
  keyIdOf,
  privateKeyPem,
  publicKeyFromPem,
  publicKeyFromRaw,
  publicKeyPem,
  rawPublicKey,
} from '../../../core/crypto/device-key';
import { unwrapBatchKey, wrapBatchKey } from '../../../core/crypto/key-wrap';

describe('device keys', () => {
  it('names a key by 16 hex digits of its public key hash', () => {
    const device = generateDeviceKey();
    expect(device.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(device.publicKey)).toBe(device.keyId);
    expect(generateDeviceKey().keyId).not.toBe(device.keyId);
  });

  it('round-trips through PEM and raw public key bytes', () => {
    const device = generateDeviceKey();
    expect(deviceKeyFromPem(privateKeyPem(device)).keyId).toBe(device.keyId);
    expect(keyIdOf(publicKeyFromPem(publicKeyPem(device.publicKey)))).toBe(device.keyId);
    const raw = rawPublicKey(device.publicKey);
    expect(raw.length).toBe(32);
    expect(keyIdOf(publicKeyFromRaw(raw))).toBe(device.keyId);
  });

  it('refuses a raw public key of the wrong length', () => {
    expect(() => publicKeyFromRaw(randomBytes(31))).toThrow(/32 bytes; got 31/);
  });
});

describe('batch key wrapping', () => {
  it('unwraps to the batch key it wrapped', () => {
    const device = generateDeviceKey();
    const batchKey = randomBytes(32);
    const wrapped = wrapBatchKey(batchKey, device.publicKey, 'b-AAAAAAAAAAAAAAA1');
    expect(wrapped.keyId).toBe(device.keyId);
    expect(wrapped.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(wrapped.wrappedKey.equals(batchKey)).toBe(false);
    expect(unwrapBatchKey(wrapped, device, 'b-AAAAAAAAAAAAAAA1').equals(batchKey)).toBe(true);
  });

  it('uses a fresh ephemeral key and salt for every wrap', () => {
    const device = generateDeviceKey();
    const batchKey = randomBytes(32);
    const a = wrapBatchKey(batchKey, device.publicKey, 'b-AAAAAAAAAAAAAAA1');
    const b = wrapBatchKey(batchKey, device.publicKey, 'b-AAAAAAAAAAAAAAA1');
    expect(a.ephemeralPublicKey.equals(b.ephemeralPublicKey)).toBe(false);
    expect(a.salt.equals(b.salt)).toBe(false);
    expect(a.wrappedKey.equals(b.wrappedKey)).toBe(false);
  });

  it('does not unwrap with another device key', () => {
    const wrapped = wrapBatchKey(randomBytes(32), generateDeviceKey().publicKey, 'b-AAAAAAAAAAAAAAA1');
    expect(() => unwrapBatchKey(wrapped, generateDeviceKey(), 'b-AAAAAAAAAAAAAAA1')).toThrow(AuthenticationError);
  });

  it('does not unwrap for another batch id', () => {
    const device = generateDeviceKey();
    const wrapped = wrapBatchKey(randomBytes(32), device.publicKey, 'b-AAAAAAAAAAAAAAA1');
    expect(() => unwrapBatchKey(wrapped, device, 'b-AAAAAAAAAAAAAAA2')).toThrow(AuthenticationError);
  });

  it('does not unwrap when the salt, tag or wrapped key is altered', () => {
    const device = generateDeviceKey();
    const wrapped = wrapBatchKey(randomBytes(32), device.publicKey, 'b-AAAAAAAAAAAAAAA1');
    const flip = (b: Buffer): Buffer => Buffer.from(b.map((x, i) => (i === 0 ? x ^ 1 : x)));
    expect(() => unwrapBatchKey({ ...wrapped, salt: flip(wrapped.salt) }, device, 'b-AAAAAAAAAAAAAAA1')).toThrow(
      AuthenticationError,
    );
    expect(() => unwrapBatchKey({ ...wrapped, tag: flip(wrapped.tag) }, device, 'b-AAAAAAAAAAAAAAA1')).toThrow(
      AuthenticationError,
    );
    expect(() =>
      unwrapBatchKey({ ...wrapped, wrappedKey: flip(wrapped.wrappedKey) }, device, 'b-AAAAAAAAAAAAAAA1'),
    ).toThrow(AuthenticationError);
  });
});
