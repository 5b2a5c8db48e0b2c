/**
 * Wraps a batch key for one workstation: an ephemeral X25519 key agreement with the device's
 * public key, HKDF-SHA256 over the shared secret (bound to the batch id and both public keys),
 * then AES-256-GCM over the batch key.
 */
import { diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { aad, KEY_BYTES, open, seal } from './aead';
import { keyIdOf, publicKeyFromRaw, rawPublicKey, type DeviceKey } from './device-key';

export const SALT_BYTES = 32;

export type WrappedKey = {
  readonly keyId: string;
  readonly ephemeralPublicKey: Buffer;
  readonly salt: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly wrappedKey: Buffer;
};

function kek(shared: Buffer, salt: Buffer, batchId: string, ephemeral: Buffer, recipient: Buffer): Buffer {
  const info = Buffer.concat([aad('batch-key-kek', batchId), Buffer.from([0]), ephemeral, recipient]);
  return Buffer.from(hkdfSync('sha256', shared, salt, info, KEY_BYTES));
}

export function wrapBatchKey(batchKey: Buffer, recipient: KeyObject, batchId: string): WrappedKey {
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralRaw = rawPublicKey(ephemeral.publicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const salt = randomBytes(SALT_BYTES);
  const key = kek(shared, salt, batchId, ephemeralRaw, rawPublicKey(recipient));
  const sealed = seal(key, batchKey, aad('batch-key', batchId));
  shared.fill(0);
  key.fill(0);
  return {
    keyId: keyIdOf(recipient),
    ephemeralPublicKey: ephemeralRaw,
    salt,
    iv: sealed.iv,
    tag: sealed.tag,
    wrappedKey: sealed.ciphertext,
  };
}

/** Recovers the batch key; throws AuthenticationError for the wrong device or a tampered wrap. */
export function unwrapBatchKey(wrapped: WrappedKey, device: DeviceKey, batchId: string): Buffer {
  const shared = diffieHellman({
    privateKey: device.privateKey,
    publicKey: publicKeyFromRaw(wrapped.ephemeralPublicKey),
  });
  const key = kek(shared, wrapped.salt, batchId, wrapped.ephemeralPublicKey, rawPublicKey(device.publicKey));
  try {
    const batchKey = open(
      key,
      { iv: wrapped.iv, tag: wrapped.tag, ciphertext: wrapped.wrappedKey },
      aad('batch-key', batchId),
      'The batch key',
    );
    if (batchKey.length !== KEY_BYTES) {
      throw new Error('The unwrapped batch key has the wrong length.');
    }
    return batchKey;
  } finally {
    shared.fill(0);
    key.fill(0);
  }
}
