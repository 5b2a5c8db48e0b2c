/**
 * The service's Ed25519 signing key: it signs the service's time and the identities it hands out,
 * and workstations pin its public half in their admin policy. It lives in a key file of its own,
 * never in the service's database, so a copy of the database (a backup, a replica) cannot sign.
 *
 * A key file that users other than its owner may read, write or replace is refused: anyone who
 * can read it can speak for the service. In development the file is created on first run, mode
 * 0600; in production the operator provides it (`--signing-key FILE`).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { SigningKey } from '../core/crypto/signing-key';
import { readSecretFile } from './key-file';

/** Names the key file when no `--signing-key` is given. */
export const SIGNING_KEY_FILE_ENV = 'EARMARK_SERVICE_SIGNING_KEY';

/** Why a key file cannot be used; the message is for the operator. */
export class SigningKeyFileError extends Error {
  override readonly name = 'SigningKeyFileError';
}

function fromPem(pem: string, file: string): SigningKey {
  let privateKey;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new SigningKeyFileError(`The signing key file ${file} does not hold a PEM private key.`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyFileError(
      `The signing key file ${file} holds a ${privateKey.asymmetricKeyType} key, not Ed25519.`,
    );
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * Reads the signing key from `file`. When the file does not exist it is created with a new key
 * if `create` is set (development), and refused otherwise.
 * @throws SigningKeyFileError for a missing, unreadable, foreign or too widely readable file.
 */
export function loadSigningKeyFile(
  file: string,
  o: { readonly create: boolean; readonly platform?: NodeJS.Platform },
): SigningKey {
  const pem = readSecretFile(file, {
    what: 'signing key',
    fail: (message) => new SigningKeyFileError(message),
    ...(o.create
      ? { create: () => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() }
      : {}),
    ...(o.platform ? { platform: o.platform } : {}),
  });
  return fromPem(pem, file);
}
