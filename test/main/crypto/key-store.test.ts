import {
  existsSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privateKeyPem } from '../../../core/crypto/device-key';
import {
  createSafeStorageKeyStore,
  DEVICE_KEY_FILE,
  KeyStoreUnavailableError,
  STATE_ANCHOR_FILE,
  type SafeStorageLike,
} from '../../../main/crypto/key-store';
import { createPowerCutFs } from '../../support/power-cut-fs';
import { makeTempDir } from '../../support/temp-dir';
import { createTestSafeStorage } from '../../support/test-safe-storage';

describe('safeStorage key store', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    tmp = makeTempDir('earmark-keys-');
    file = join(tmp.dir, 'profile', DEVICE_KEY_FILE);
  });
  afterEach(() => tmp.remove());

  it('creates a device key on first use and returns the same key after a restart', () => {
    const first = createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux').loadOrCreateDeviceKey();
    expect(existsSync(file)).toBe(true);
    const again = createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux').loadOrCreateDeviceKey();
    expect(again.keyId).toBe(first.keyId);
    expect(privateKeyPem(again)).toBe(privateKeyPem(first));
  });

  it('keeps the key file unreadable without the OS key store', () => {
    const key = createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux').loadOrCreateDeviceKey();
    const onDisk = readFileSync(file);
    const pem = privateKeyPem(key);
    const pemBody = pem
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('-----'))
      .join('');
    const jwk = key.privateKey.export({ format: 'jwk' });
    const rawPrivate = Buffer.from(String(jwk.d), 'base64url');
    expect(rawPrivate.length).toBe(32);
    expect(onDisk.includes('PRIVATE KEY')).toBe(false);
    expect(onDisk.includes(pemBody)).toBe(false);
    expect(onDisk.includes(Buffer.from(pemBody, 'base64'))).toBe(false);
    expect(onDisk.includes(rawPrivate)).toBe(false);
    expect(onDisk.includes(String(jwk.d))).toBe(false);
  });

  it('writes the key file readable by its owner only', () => {
    createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux').loadOrCreateDeviceKey();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Nothing beside it: the temporary file it was written through is gone.
    expect(readdirSync(join(tmp.dir, 'profile'))).toEqual([DEVICE_KEY_FILE]);
  });

  it('refuses to run when the OS key store is unavailable, and writes nothing', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const store = createSafeStorageKeyStore(createTestSafeStorage({ available: false }), file, platform);
      expect(() => store.loadOrCreateDeviceKey()).toThrow(KeyStoreUnavailableError);
      expect(() => store.loadOrCreateDeviceKey()).toThrow(/not available/);
    }
    expect(existsSync(file)).toBe(false);
  });

  it('refuses the Linux basic_text store and says what to do instead', () => {
    const store = createSafeStorageKeyStore(createTestSafeStorage({ backend: 'basic_text' }), file, 'linux');
    expect(() => store.loadOrCreateDeviceKey()).toThrow(KeyStoreUnavailableError);
    expect(() => store.loadOrCreateDeviceKey()).toThrow(/"basic_text"/);
    expect(() => store.loadOrCreateDeviceKey()).toThrow(/GNOME Keyring|KWallet/);
    expect(() => store.loadOrCreateDeviceKey()).toThrow(/--password-store=gnome-libsecret/);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses basic_text even for an existing key file', () => {
    createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux').loadOrCreateDeviceKey();
    const store = createSafeStorageKeyStore(createTestSafeStorage({ backend: 'basic_text' }), file, 'linux');
    expect(() => store.loadOrCreateDeviceKey()).toThrow(/basic_text/);
  });

  it('accepts the Linux keyring backends', () => {
    for (const backend of ['gnome_libsecret', 'kwallet5', 'kwallet6']) {
      const store = createSafeStorageKeyStore(createTestSafeStorage({ backend }), file, 'linux');
      expect(store.loadOrCreateDeviceKey().keyId).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('gives a clear error for a key file the OS key store cannot unlock, and leaves the file alone', () => {
    createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux').loadOrCreateDeviceKey();
    const before = readFileSync(file);
    const otherProfile: SafeStorageLike = {
      ...createTestSafeStorage(),
      decryptString: () => {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      },
    };
    const store = createSafeStorageKeyStore(otherProfile, file, 'linux');
    expect(() => store.loadOrCreateDeviceKey()).toThrow(KeyStoreUnavailableError);
    expect(() => store.loadOrCreateDeviceKey()).toThrow(/cannot unlock it.*re-enrol/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('gives a clear error for a key file that unlocks to something that is not a key, and leaves it alone', () => {
    const safeStorage = createTestSafeStorage();
    mkdirSync(join(tmp.dir, 'profile'));
    writeFileSync(file, safeStorage.encryptString('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'));
    const before = readFileSync(file);
    const store = createSafeStorageKeyStore(safeStorage, file, 'linux');
    expect(() => store.loadOrCreateDeviceKey()).toThrow(KeyStoreUnavailableError);
    expect(() => store.loadOrCreateDeviceKey()).toThrow(/damaged.*re-enrol/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('does not replace a corrupted key file with a new key', () => {
    createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux').loadOrCreateDeviceKey();
    const corrupted = readFileSync(file);
    corrupted[corrupted.length - 1] = (corrupted[corrupted.length - 1] ?? 0) ^ 0xff;
    writeFileSync(file, corrupted);
    const store = createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux');
    expect(() => store.loadOrCreateDeviceKey()).toThrow(/cannot unlock it/);
    expect(readFileSync(file).equals(corrupted)).toBe(true);
  });

  it('keeps the state anchor beside the device key, protected like it, across a restart', () => {
    const store = createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux');
    expect(store.readStateAnchor()).toBeUndefined();
    store.writeStateAnchor('{"clock":3}');
    const anchorFile = join(tmp.dir, 'profile', STATE_ANCHOR_FILE);
    expect(readFileSync(anchorFile).toString('latin1')).not.toContain('clock');
    expect(statSync(anchorFile).mode & 0o777).toBe(0o600);
    expect(createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux').readStateAnchor()).toBe('{"clock":3}');
  });

  it('removes the temporary copies a crash left beside the key and the anchor, and nothing else', () => {
    createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux').writeStateAnchor('{"clock":3}');
    const folder = join(tmp.dir, 'profile');
    const hourAgo = new Date(Date.now() - 3_600_000);
    const plant = (name: string, old: boolean): void => {
      writeFileSync(join(folder, name), 'left by a crash');
      if (old) {
        utimesSync(join(folder, name), hourAgo, hourAgo);
      }
    };
    plant(`${DEVICE_KEY_FILE}.0123456789ab.tmp`, true);
    plant(`${STATE_ANCHOR_FILE}.abcdef012345.tmp`, true);
    // Kept: a copy another process may still be writing, and names that are not this module's.
    plant(`${STATE_ANCHOR_FILE}.111111111111.tmp`, false);
    plant(`${DEVICE_KEY_FILE}.tmp`, true);
    plant(`${DEVICE_KEY_FILE}.0123456789AB.tmp`, true);
    plant(`notes.0123456789ab.tmp`, true);
    symlinkSync(join(tmp.dir, 'elsewhere'), join(folder, `${DEVICE_KEY_FILE}.bbbbbbbbbbbb.tmp`));
    lutimesSync(join(folder, `${DEVICE_KEY_FILE}.bbbbbbbbbbbb.tmp`), hourAgo, hourAgo);

    const store = createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux');
    store.loadOrCreateDeviceKey();
    expect(readdirSync(folder).sort()).toEqual(
      [
        DEVICE_KEY_FILE,
        STATE_ANCHOR_FILE,
        `${STATE_ANCHOR_FILE}.111111111111.tmp`,
        `${DEVICE_KEY_FILE}.tmp`,
        `${DEVICE_KEY_FILE}.0123456789AB.tmp`,
        `notes.0123456789ab.tmp`,
        `${DEVICE_KEY_FILE}.bbbbbbbbbbbb.tmp`,
      ].sort(),
    );
    expect(store.readStateAnchor()).toBe('{"clock":3}');
  });

  it('reads an anchor the OS key store cannot open as empty text, never as "none written"', () => {
    createSafeStorageKeyStore(createTestSafeStorage(), file, 'linux').writeStateAnchor('{"clock":3}');
    const other = createSafeStorageKeyStore(createTestSafeStorage({ sharedSecret: 'another user' }), file, 'linux');
    expect(other.readStateAnchor()).toBe('');
  });

  it('a power cut keeps the device key and the last anchor written, whatever the journal kept', () => {
    const safe = createTestSafeStorage();
    const anchorFile = join(tmp.dir, 'profile', STATE_ANCHOR_FILE);
    const opened = (b: Buffer | undefined): string | undefined => (b === undefined ? b : safe.decryptString(b));
    for (const cut of ['names-kept', 'names-lost'] as const) {
      const disk = createPowerCutFs();
      const store = createSafeStorageKeyStore(safe, file, 'linux', { fs: disk });
      const key = store.loadOrCreateDeviceKey();
      expect(opened(disk.afterPowerCut(file, cut))).toBe(privateKeyPem(key));
      // A lost first anchor would leave the row it vouches for unrecorded: read as tampering.
      store.writeStateAnchor('{"clock":3}');
      expect(opened(disk.afterPowerCut(anchorFile, cut))).toBe('{"clock":3}');
      store.writeStateAnchor('{"clock":4}');
      expect(opened(disk.afterPowerCut(anchorFile, cut))).toBe('{"clock":4}');
    }
  });
});
