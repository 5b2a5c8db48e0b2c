/**
 * The service's results-package key file: made owner-only in development, refused when others may
 * read it or it holds another kind of key, taken over once from a store that kept the key in its
 * database, and served over HTTP as the key packages are sealed for.
 */
import { chmodSync, existsSync, statSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../service/core';
import { readOperations } from '../../service/operations-options';
import { loadResultsKeyFile, ResultsKeyFileError } from '../../service/results-key-file';
import { openSqliteServiceStore } from '../../service/store/sqlite/service-store';
import type { ServiceStore } from '../../service/store/repositories';
import { startTestService } from '../support/reference-service';
import { makeTempDir } from '../support/temp-dir';
import { operationsValues } from '../support/operations-values';

describe('results key file', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ServiceStore | undefined;
  beforeEach(() => {
    tmp = makeTempDir('earmark-results-key-');
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    tmp.remove();
  });

  it('is made owner-only in development and read back the same; refused when open to others or not X25519', () => {
    const file = join(tmp.dir, 'results-key.pem');
    const made = loadResultsKeyFile(file, { create: true, platform: 'linux' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadResultsKeyFile(file, { create: false, platform: 'linux' }).keyId).toBe(made.keyId);
    chmodSync(file, 0o644);
    expect(() => loadResultsKeyFile(file, { create: false, platform: 'linux' })).toThrow(ResultsKeyFileError);
    expect(() => loadResultsKeyFile(file, { create: false, platform: 'linux' })).toThrow(/chmod 600/);
    const ed = join(tmp.dir, 'ed25519.pem');
    writeFileSync(ed, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
    });
    expect(() => loadResultsKeyFile(ed, { create: false, platform: 'linux' })).toThrow(/not X25519/);
    expect(() => loadResultsKeyFile(join(tmp.dir, 'none.pem'), { create: false })).toThrow(/does not exist/);
  });

  it('takes over the key a store kept in its database, once, so packages sealed for it still open', async () => {
    store = openSqliteServiceStore(join(tmp.dir, 'service.db'));
    const legacy = await createCore({ store }).serviceKey();
    const first = await readOperations(operationsValues(), { store, dataDir: tmp.dir, env: {} });
    expect(first.service.resultsKey?.keyId).toBe(legacy.keyId);
    expect(first.notes.join('\n')).toMatch(/moved from the database/);
    expect(statSync(join(tmp.dir, 'results-key.pem')).mode & 0o777).toBe(0o600);
    const again = await readOperations(operationsValues(), { store, dataDir: tmp.dir, env: {} });
    expect([again.service.resultsKey?.keyId, again.notes]).toEqual([legacy.keyId, []]);
  });

  it('refuses a named key file that does not exist when the store holds no key to move', async () => {
    store = openSqliteServiceStore(join(tmp.dir, 'service.db'));
    const named = join(tmp.dir, 'named.pem');
    await expect(
      readOperations(operationsValues({ 'results-key': named }), { store, dataDir: tmp.dir, env: {} }),
    ).rejects.toThrow(/does not exist/);
    expect(existsSync(named)).toBe(false);
  });

  it('is the key the service hands out for results packages, and the store keeps none', async () => {
    const key = loadResultsKeyFile(join(tmp.dir, 'results-key.pem'), { create: true });
    const svc = await startTestService({ options: { resultsKey: key } });
    try {
      const r = await fetch(`${svc.url}/v1/service-key`);
      expect(((await r.json()) as { keyId: string }).keyId).toBe(key.keyId);
      expect(await svc.query<{ n: number }>('SELECT count(*) AS n FROM service_keys')).toEqual([{ n: 0 }]);
    } finally {
      await svc.stop();
    }
  });
});
