import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createSafeStorageKeyStore, DEVICE_KEY_FILE, type SafeStorageLike } from '../../main/crypto/key-store';

/** One key for the test process, as the OS key store is one per user. */
const processKey = randomBytes(32);

export type TestSafeStorageOptions = {
  readonly available?: boolean;
  readonly backend?: string;
  /**
   * Derives the key from this secret instead of the per-process one, so several processes (a
   * crash-test child and the test that restarts it) share one "OS key store".
   */
  readonly sharedSecret?: string;
};

/**
 * A stand-in for Electron's safeStorage with the same contract: strings go in, opaque
 * encrypted bytes come out, and only this process (or one given the same sharedSecret) can
 * decrypt them.
 */
export function createTestSafeStorage(o: TestSafeStorageOptions = {}): SafeStorageLike {
  const key = o.sharedSecret === undefined ? processKey : createHash('sha256').update(o.sharedSecret, 'utf8').digest();
  return {
    isEncryptionAvailable: () => o.available ?? true,
    getSelectedStorageBackend: () => o.backend ?? 'gnome_libsecret',
    encryptString(plainText) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plainText, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      const d = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      d.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([d.update(encrypted.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

/** The production key store over the test safeStorage, keeping its file in `dataDir`. */
export function testKeyStore(dataDir: string, o: TestSafeStorageOptions = {}) {
  return createSafeStorageKeyStore(createTestSafeStorage(o), join(dataDir, DEVICE_KEY_FILE), 'linux');
}
