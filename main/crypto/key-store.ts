/**
 * Keeps the device private key encrypted by the operating system's key store (Electron
 * safeStorage: DPAPI, Keychain, libsecret/KWallet). Refuses to run where that protection is
 * missing rather than writing the key in a form anyone with the disk can read.
 *
 * Beside the key it keeps the state anchor: the high-water counters of the sealed monotonic
 * state (main/db/sealed-state.ts). It lives outside the database on purpose, so restoring an
 * older copy of earmark.db cannot roll it back with the rows it vouches for.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { deviceKeyFromPem, generateDeviceKey, privateKeyPem, type DeviceKey } from '../../core/crypto/device-key';
import { replaceFile, sweepTemporaries, type SyncFs } from '../../core/fs/durable-file';

/** The device key's file name inside the data folder. */
export const DEVICE_KEY_FILE = 'device-key.bin';

/** The state anchor's file name, in the device key's folder. */
export const STATE_ANCHOR_FILE = 'state-anchor.bin';

/** The part of Electron's safeStorage this module uses. */
export type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
};

export type KeyStore = {
  /** The device key, created and saved on first use. */
  loadOrCreateDeviceKey(): DeviceKey;
  /**
   * The state anchor's text as last written, or undefined when none was ever written. The
   * caller authenticates its content; this only keeps it out of the database's reach.
   */
  readStateAnchor(): string | undefined;
  /** Replaces the state anchor in one atomic step (a crash leaves the old one or the new one). */
  writeStateAnchor(text: string): void;
};

/** The OS cannot protect the key; the message says what an admin can do about it. */
export class KeyStoreUnavailableError extends Error {
  override readonly name = 'KeyStoreUnavailableError';
}

export function createSafeStorageKeyStore(
  safeStorage: SafeStorageLike,
  file: string,
  platform: NodeJS.Platform,
  /** How files are written: node:fs unless a test passes a model of a disk. */
  o: { readonly fs?: SyncFs } = {},
): KeyStore {
  const check = (): void => {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new KeyStoreUnavailableError(
        'The operating system key store is not available, so Earmark cannot protect its device key. ' +
          (platform === 'linux'
            ? 'Install and unlock GNOME Keyring or KWallet for this user, then start Earmark again.'
            : 'Sign in to this computer with a normal user account (not a temporary profile) and start Earmark again.'),
      );
    }
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      throw new KeyStoreUnavailableError(
        'This Linux session offers only the "basic_text" password store, which keeps secrets unprotected. ' +
          'Install and unlock GNOME Keyring (libsecret) or KWallet, or start Earmark with ' +
          '--password-store=gnome-libsecret, then start it again.',
      );
    }
  };

  const anchorFile = join(dirname(file), STATE_ANCHOR_FILE);
  /**
   * Writes through a temporary file flushed to the disk before its rename, and the folder after
   * it, so neither a crash nor a power cut leaves an empty or half file (an empty anchor would
   * read as tampering and lock the workstation's batches; an empty device key would need a
   * re-enrolment), and once a write returns, a power cut keeps it. The anchor needs the latter
   * too: its rows are in the database, flushed at their commit, and a row whose name a lost
   * anchor no longer records (its first write, or a new database's reset) reads as tampered.
   */
  const writeProtected = (target: string, text: string): void => {
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    replaceFile(target, safeStorage.encryptString(text), { mode: 0o600, lasting: true, platform, ...o });
  };

  /**
   * A crash between a write's create and its rename leaves an encrypted temporary copy beside the
   * key or the anchor: removed at the first load, when a minute old (a write of another process
   * on this folder, were there one, keeps its file).
   */
  let swept = false;
  const sweep = (): void => {
    if (!swept) {
      swept = true;
      sweepTemporaries(dirname(file), [basename(file), STATE_ANCHOR_FILE], { olderThanMs: 60_000, now: Date.now() });
    }
  };

  return {
    loadOrCreateDeviceKey() {
      check();
      sweep();
      if (existsSync(file)) {
        let pem: string;
        try {
          pem = safeStorage.decryptString(readFileSync(file));
        } catch {
          throw new KeyStoreUnavailableError(
            'The device key exists but the OS key store cannot unlock it (the user profile or keyring changed). ' +
              'Ask your supervisor to re-enrol this workstation; batches issued to the old key cannot be opened.',
          );
        }
        try {
          return deviceKeyFromPem(pem);
        } catch {
          // Some safeStorage backends (AES-CBC, no MAC) can "decrypt" a damaged file to garbage.
          throw new KeyStoreUnavailableError(
            'The device key file is damaged: it unlocks but holds no usable key. ' +
              'Ask your supervisor to re-enrol this workstation; batches issued to the old key cannot be opened.',
          );
        }
      }
      const key = generateDeviceKey();
      writeProtected(file, privateKeyPem(key));
      return key;
    },

    readStateAnchor() {
      check();
      if (!existsSync(anchorFile)) {
        return undefined;
      }
      try {
        return safeStorage.decryptString(readFileSync(anchorFile));
      } catch {
        // Unreadable is not "never written": the caller treats damaged text as tampering.
        return '';
      }
    },

    writeStateAnchor(text) {
      check();
      writeProtected(anchorFile, text);
    },
  };
}
