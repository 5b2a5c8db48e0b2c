/**
 * The workstation's Ed25519 signing key, for results packages. It is derived from the device
 * key (HKDF, its own purpose label), so it needs no storage of its own and is exactly as well
 * protected as the device key; the service learns its public half at enrolment.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { deriveLocalKey, type DeviceKey } from './device-key';

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export type SigningKey = { readonly privateKey: KeyObject; readonly publicKey: KeyObject };

export function deriveSigningKey(device: DeviceKey): SigningKey {
  const seed = deriveLocalKey(device, 'results-signing');
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  try {
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  } finally {
    seed.fill(0);
    der.fill(0);
  }
}

/** The raw 32-byte Ed25519 public key. */
export function rawSigningPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new Error('Not an Ed25519 key.');
  }
  return Buffer.from(jwk.x, 'base64url');
}

export function signingPublicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export const signBytes = (key: SigningKey, data: Buffer): Buffer => sign(null, data, key.privateKey);

export const verifySignature = (publicKey: KeyObject, data: Buffer, signature: Buffer): boolean =>
  verify(null, data, publicKey, signature);
