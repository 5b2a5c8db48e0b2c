import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPackage } from '../../../core/package/package-reader';
import { filesUnder } from '../../support/disk-scan';
import { startTestService, type TestService } from '../../support/reference-service';
import { makeServices, type ServicesEnv } from '../../support/services';
import { testKeyStore } from '../../support/test-safe-storage';

const LEFTOVER = 'checkout-0123456789ab.earmark';

/** Whether `file` opens as a package with this data folder's device key. */
function opensWithDeviceKey(file: string, dataDir: string): boolean {
  try {
    readPackage(
      file,
      { device: testKeyStore(dataDir).loadOrCreateDeviceKey(), now: Date.now() },
      { onOpened: () => undefined, onClip: () => undefined },
    );
    return true;
  } catch {
    return false;
  }
}

describe('leftovers of a crashed checkout', () => {
  let svc: TestService;
  let env: ServicesEnv;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAAAAA1EFT', 3);
    env = makeServices({ serviceUrl: svc.url });
    // A checkout kept as a file, as an earlier build killed mid-import left it: the downloaded
    // package with its batch key wrapped for this device.
    const vault = env.services.vault;
    const importInBackground = vault.importInBackground.bind(vault);
    vault.importInBackground = (bytes) => {
      writeFileSync(join(env.dataDir, LEFTOVER), bytes);
      return importInBackground(bytes);
    };
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    expect(readdirSync(env.dataDir)).toContain(LEFTOVER);
    expect(opensWithDeviceKey(join(env.dataDir, LEFTOVER), env.dataDir)).toBe(true);
  });
  afterEach(async () => {
    env.dispose();
    await svc.stop();
  });

  it('removes them at the next start', () => {
    env.reopen();
    expect(readdirSync(env.dataDir)).not.toContain(LEFTOVER);
  });

  it('after the batch is revoked and erased, no file in the data folder opens with the device key', async () => {
    await svc.service.core.store.batches.revoke('b-AAAAAAAAAAAA1EFT', svc.now());
    await env.services.sync.syncNow();
    expect(env.services.batches.get('b-AAAAAAAAAAAA1EFT').status).toBe('revoked');
    const files = filesUnder(env.dataDir);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => opensWithDeviceKey(f, env.dataDir))).toEqual([]);
    expect(readdirSync(env.dataDir)).not.toContain(LEFTOVER);
  });
});
