/**
 * The service's X25519 key, which offline results packages are encrypted for. Like the signing key
 * it lives in a key file of its own (mode 0600), never in the database: a copy of the database
 * cannot open a results package. In development the file is made in the data folder on first run;
 * in production the operator provides it (`--results-key FILE`).
 *
 * Stores made before key files kept this key in their `service_keys` table: when the file does not
 * exist yet and may be made, that key is written to it once, so packages already sealed for it
 * still open.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { deviceKeyFromPrivate, type DeviceKey } from '../core/crypto/device-key';
import { KeyFileError, readSecretFile } from './key-file';

/** Names the key file when no `--results-key` is given. */
export const RESULTS_KEY_FILE_ENV = 'EARMARK_SERVICE_RESULTS_KEY';

/** Why the results key file cannot be used; the message is for the operator. */
export class ResultsKeyFileError extends KeyFileError {
  override readonly name = 'ResultsKeyFileError';
}

/**
 * Reads the results key from `file`. A missing file is made (mode 0600) when `create` is set,
 * holding `legacyPem` (the key a store kept before key files) when there is one, else a new key.
 * @throws ResultsKeyFileError for a missing, unreadable, foreign or too widely readable file, or
 *   one that holds no X25519 private key
 */
export function loadResultsKeyFile(
  file: string,
  o: { readonly create: boolean; readonly legacyPem?: string; readonly platform?: NodeJS.Platform },
): DeviceKey {
  const fail = (message: string): Error => new ResultsKeyFileError(message);
  const pem = readSecretFile(file, {
    what: 'results key',
    fail,
    ...(o.create
      ? {
          create: () =>
            o.legacyPem ?? generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        }
      : {}),
    ...(o.platform ? { platform: o.platform } : {}),
  });
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw fail(`The results key file ${file} does not hold a PEM private key.`);
  }
  if (privateKey.asymmetricKeyType !== 'x25519') {
    throw fail(`The results key file ${file} holds a ${String(privateKey.asymmetricKeyType)} key, not X25519.`);
  }
  return deviceKeyFromPrivate(privateKey);
}
