import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as DeviceKeys from '../../../core/crypto/device-key';
import type { KeyStore } from '../../../main/crypto/key-store';
import type * as KeyWrap from '../../../core/crypto/key-wrap';
import type { AnnotationBody } from '../../../shared/domain/annotation';
import { writeTestPackage } from '../../support/packages';
import { makeServices, queryDb, serviceError, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';

// Every batch key the vault unwraps and every local key derived from the device key, as the
// very Buffers the services keep, so a test can see that the lock zero-filled them.
const made = vi.hoisted(() => ({ batchKeys: [] as Buffer[], localKeys: [] as { purpose: string; key: Buffer }[] }));
vi.mock('../../../core/crypto/key-wrap', async (importOriginal) => {
  const real = await importOriginal<typeof KeyWrap>();
  return {
    ...real,
    unwrapBatchKey: (...args: Parameters<typeof real.unwrapBatchKey>) => {
      const key = real.unwrapBatchKey(...args);
      made.batchKeys.push(key);
      return key;
    },
  };
});
vi.mock('../../../core/crypto/device-key', async (importOriginal) => {
  const real = await importOriginal<typeof DeviceKeys>();
  return {
    ...real,
    deriveLocalKey: (...args: Parameters<typeof real.deriveLocalKey>) => {
      const key = real.deriveLocalKey(...args);
      made.localKeys.push({ purpose: args[1], key });
      return key;
    },
  };
});

const zeroed = (b: Buffer): boolean => b.every((byte) => byte === 0);
const body = (transcript: string): AnnotationBody => ({ transcript, critical: [], entities: [] });
const LOCKED = 'Earmark is locked: unlock it to carry on.';

describe('lock: keys leave memory', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  let batchId: string;
  const loads = vi.fn();

  beforeEach(() => {
    made.batchKeys.length = 0;
    made.localKeys.length = 0;
    loads.mockClear();
    const counting = (store: KeyStore): KeyStore => ({
      ...store,
      loadOrCreateDeviceKey: () => {
        loads();
        return store.loadOrCreateDeviceKey();
      },
    });
    env = makeServices({ keyStore: counting });
    tmp = makeTempDir('earmark-lock-');
    const built = writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: env.services.vault.deviceKey().publicKey });
    batchId = env.services.vault.importPackage(built.file).batchId;
    // A reviewer at work: a batch key (unwrapped by the vault itself) and the annotation key are in memory.
    env.services.vault.forgetKeys();
    made.batchKeys.length = 0;
    env.services.vault.openClip(batchId, 'c-AAAAAAAAAAAAAAA1');
    env.services.annotations.saveDraft(batchId, 'c-AAAAAAAAAAAAAAA1', 0, body('turn on the'));
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  it('zero-fills the batch keys and the annotation key, and loads no key while locked', () => {
    const annotationKeys = made.localKeys.filter((k) => k.purpose === 'annotations').map((k) => k.key);
    expect(annotationKeys.length).toBeGreaterThan(0);
    expect([...annotationKeys].some(zeroed)).toBe(false);

    expect(made.batchKeys).toHaveLength(1);
    expect(made.batchKeys.some(zeroed)).toBe(false);

    env.services.lock.lock('manual');

    // Wiped in place: the very Buffers the services held.
    expect(annotationKeys.every(zeroed)).toBe(true);
    expect(made.batchKeys.every(zeroed)).toBe(true);
    const before = loads.mock.calls.length;
    // Not only the IPC guard: the services themselves cannot get a key back.
    expect(serviceError('LOCKED', () => env.services.vault.openClip(batchId, 'c-AAAAAAAAAAAAAAA1'))).toBe(LOCKED);
    expect(serviceError('LOCKED', () => env.services.vault.listClips(batchId))).toBe(LOCKED);
    expect(serviceError('LOCKED', () => env.services.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA1'))).toBe(LOCKED);
    expect(loads.mock.calls.length).toBe(before);
  });

  it('reloads the device key from the key store only after the unlock', async () => {
    env.services.lock.lock('idle');
    const atLock = loads.mock.calls.length;
    await env.services.lock.unlock();
    env.services.vault.openClip(batchId, 'c-AAAAAAAAAAAAAAA1');
    expect(env.services.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA1').draft?.transcript).toBe('turn on the');
    // Loaded again from the OS key store (once, then kept until the next lock).
    expect(loads.mock.calls.length).toBe(atLock + 1);
  });

  it('derives the PIN verifier key for each check and wipes it, while the device key stays out of memory', async () => {
    await env.services.lock.setPin('4821');
    env.services.lock.lock('manual');
    await expect(env.services.lock.unlock('0000')).rejects.toMatchObject({ code: 'WRONG_SECRET' });
    const verifierKeys = made.localKeys.filter((k) => k.purpose === 'lock-verifiers').map((k) => k.key);
    expect(verifierKeys.length).toBeGreaterThan(0);
    expect(verifierKeys.every(zeroed)).toBe(true);
    // The check read the key store, but kept nothing: clips are still refused.
    expect(serviceError('LOCKED', () => env.services.vault.openClip(batchId, 'c-AAAAAAAAAAAAAAA1'))).toBe(LOCKED);
  });

  it('keeps a draft that arrives while locked sealed for the device public key, and saves it at unlock', async () => {
    env.services.lock.lock('os_lock');
    const before = loads.mock.calls.length;
    expect(
      env.services.annotations.saveDraft(
        batchId,
        'c-AAAAAAAAAAAAAAA1',
        0,
        body('turn on the kitchen light'),
        'transcribed',
      ).savedAt,
    ).toBeGreaterThan(0);
    // Sealing for the public key needed no private key.
    expect(loads.mock.calls.length).toBe(before);
    expect(made.localKeys.filter((k) => k.purpose === 'annotations').every((k) => zeroed(k.key))).toBe(true);
    const [row] = queryDb<{ value: string }>(env.dataDir, "SELECT value FROM settings WHERE key = 'lock.heldDrafts'");
    expect(row?.value).toBeDefined();
    expect(row?.value).not.toContain('kitchen');
    expect(Buffer.from(row?.value ?? '').includes(Buffer.from('kitchen'))).toBe(false);

    // Only work on a clip this workstation holds is kept.
    expect(
      serviceError('NOT_FOUND', () =>
        env.services.annotations.saveDraft(batchId, 'c-AAAAAAAAAAAAA404', 0, body('nothing')),
      ),
    ).toContain('c-AAAAAAAAAAAAA404');

    await env.services.lock.unlock();
    expect(env.services.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA1').draft).toMatchObject({
      transcript: 'turn on the kitchen light',
      disposition: 'transcribed',
    });
    expect(queryDb(env.dataDir, "SELECT value FROM settings WHERE key = 'lock.heldDrafts'")).toEqual([]);
  });

  it('saves a held draft at the next start when the app was closed while locked', () => {
    env.services.lock.lock('suspend');
    env.services.annotations.saveDraft(batchId, 'c-AAAAAAAAAAAAAAA2', 0, body('set a timer'));
    const services = env.reopen();
    expect(services.lock.isLocked()).toBe(false);
    expect(services.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA2').draft?.transcript).toBe('set a timer');
  });
});
