/**
 * The workstation's X25519 key pair. Batch keys are wrapped for its public key; the private key
 * never leaves the key store except into memory.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
} from 'node:crypto';

export const X25519_PUBLIC_BYTES = 32;

export type DeviceKey = {
  /** Short fingerprint of the public key; names the recipient in a package header. */
  readonly keyId: string;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
};

/** The raw 32-byte X25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'X25519' || typeof jwk.x !== 'string') {
    throw new Error('Not an X25519 key.');
  }
  return Buffer.from(jwk.x, 'base64url');
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== X25519_PUBLIC_BYTES) {
    throw new Error(`An X25519 public key is ${X25519_PUBLIC_BYTES} bytes; got ${raw.length}.`);
  }
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** The first 16 hex digits of SHA-256 over the raw public key. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('hex').slice(0, 16);
}

export function deviceKeyFromPrivate(privateKey: KeyObject): DeviceKey {
  if (privateKey.asymmetricKeyType !== 'x25519') {
    throw new Error('The device key must be an X25519 private key.');
  }
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), publicKey, privateKey };
}

export function generateDeviceKey(): DeviceKey {
  return deviceKeyFromPrivate(generateKeyPairSync('x25519').privateKey);
}

/** PEM encodings, for key files (operators, tests) and for the OS-protected key store. */
export function privateKeyPem(key: DeviceKey): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function publicKeyPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'spki' }).toString();
}

export function deviceKeyFromPem(pem: string): DeviceKey {
  return deviceKeyFromPrivate(createPrivateKey({ key: pem, format: 'pem' }));
}

export function publicKeyFromPem(pem: string): KeyObject {
  const key = createPublicKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'x25519') {
    throw new Error('The device public key must be an X25519 key.');
  }
  return key;
}

/**
 * A symmetric key for data this workstation keeps for itself (annotations, drafts, notes),
 * derived from the device private key with HKDF so it needs no storage of its own and is as well
 * protected as the device key. `purpose` separates keys for different uses.
 */
export function deriveLocalKey(device: DeviceKey, purpose: string): Buffer {
  const jwk = device.privateKey.export({ format: 'jwk' });
  if (typeof jwk.d !== 'string') {
    throw new Error('The device key cannot derive local keys.');
  }
  const secret = Buffer.from(jwk.d, 'base64url');
  try {
    return Buffer.from(hkdfSync('sha256', secret, Buffer.from('earmark/v1/local-key'), Buffer.from(purpose), 32));
  } finally {
    secret.fill(0);
  }
}
