import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wrappedKeyToBytes } from '../../../../core/crypto/codec';
import { openSource } from '../../../../core/package/package-file';
import { openPackage } from '../../../../core/package/package-reader';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { openDatabase, type AppDatabase } from '../../../../main/db/database';
import { runImportJob, type ImportJob } from '../../../../main/services/import/import-job';
import { createDeviceKeys } from '../../../../main/services/device-keys';
import { writeTestPackage } from '../../../support/packages';
import { makeTempDir } from '../../../support/temp-dir';
import { testKeyStore } from '../../../support/test-safe-storage';
import { testClipId } from '../../../support/ids';

const clips = Array.from({ length: 10 }, (_, i) => ({ id: testClipId(i) }));

describe('import job: clips in bounded chunks under a staged batch', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let main: AppDatabase;
  let worker: Connection;
  let raw: Connection;
  let workerDb: AppDatabase;
  let job: ImportJob;

  const count = (sql: string): number => (worker.prepare(sql).get() as { n: number }).n;

  beforeEach(() => {
    tmp = makeTempDir('earmark-job-');
    const file = join(tmp.dir, 'earmark.db');
    main = openDatabase(file);
    workerDb = openDatabase(file);
    worker = openConnection(file);
    raw = openConnection(file);
    raw.pragma('busy_timeout = 0');
    const device = createDeviceKeys(testKeyStore(tmp.dir)).deviceKey();
    const built = writeTestPackage(join(tmp.dir, 'b.earmark'), {
      recipient: device.publicKey,
      clips,
      withdraw: ['c-AAAAAAAAAAAAAAA4'],
    });
    const source = openSource(built.file);
    const opened = openPackage(source, { device, now: Date.now() });
    source.close();
    job = {
      source: built.file,
      header: opened.header,
      details: opened.details,
      bodyStart: opened.bodyStart,
      batchKey: opened.batchKey,
      wrap: wrappedKeyToBytes(opened.wrapped),
      keyId: opened.wrapped.keyId,
      importedAt: Date.now(),
    };
  });
  afterEach(() => {
    worker.close();
    raw.close();
    workerDb.close();
    main.close();
    tmp.remove();
  });

  const deps = (over: Partial<Parameters<typeof runImportJob>[1]> = {}): Parameters<typeof runImportJob>[1] => ({
    staging: workerDb.importStaging,
    vault: workerDb.vault,
    cancelled: () => false,
    progress: () => undefined,
    chunk: { clips: 3, bytes: 1 << 20 },
    ...over,
  });

  it('commits each chunk on its own while the batch stays out of sight, then shows it in one step', () => {
    const seen: { done: number; visible: boolean; rows: number; mainWrote: boolean }[] = [];
    const outcome = runImportJob(
      job,
      deps({
        progress: (done) => {
          // Between chunks no transaction is open: main writes without waiting (busy_timeout 0
          // below would fail at once on a held lock), and sees no batch yet.
          raw.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('probe', ?)").run(String(done));
          seen.push({
            done,
            visible: main.batches.find(job.header.batchId) !== undefined,
            rows: count('SELECT count(*) AS n FROM clips') + count('SELECT count(*) AS n FROM refused_clips'),
            mainWrote:
              (raw.prepare("SELECT value FROM settings WHERE key = 'probe'").get() as { value: string }).value ===
              String(done),
          });
        },
      }),
    );
    expect(seen).toEqual([
      { done: 3, visible: false, rows: 3, mainWrote: true },
      { done: 6, visible: false, rows: 6, mainWrote: true },
      { done: 9, visible: false, rows: 9, mainWrote: true },
      { done: 10, visible: false, rows: 10, mainWrote: true },
    ]);
    expect(outcome).toMatchObject({
      kind: 'done',
      report: { imported: 9, withdrawn: ['c-AAAAAAAAAAAAAAA4'], quarantined: [] },
    });
    expect(main.batches.list().map((b) => b.id)).toEqual([job.header.batchId]);
    expect(main.vault.wrappedKey(job.header.batchId)).toBeDefined();
  });

  it('cut short by a cancel, leaves nothing behind', () => {
    let chunks = 0;
    const outcome = runImportJob(job, deps({ cancelled: () => chunks >= 2, progress: () => (chunks += 1) }));
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(chunks).toBe(2);
    for (const table of ['batches', 'batch_keys', 'clips', 'refused_clips']) {
      expect(count(`SELECT count(*) AS n FROM ${table}`), table).toBe(0);
    }
  });

  it('failing half-way, removes what it staged', () => {
    let chunks = 0;
    expect(() =>
      runImportJob(
        job,
        deps({
          progress: () => {
            chunks += 1;
            if (chunks === 2) {
              throw new Error('disk gone');
            }
          },
        }),
      ),
    ).toThrow('disk gone');
    expect(count('SELECT count(*) AS n FROM clips')).toBe(0);
    expect(count('SELECT count(*) AS n FROM batches')).toBe(0);
  });

  it('redoes a batch a killed import left staged, and refuses one already in', () => {
    workerDb.importStaging.stage({
      id: job.header.batchId,
      locale: 'en-US',
      clipCount: 10,
      createdAt: 0,
      expiresAt: Date.now() + 1e9,
      importedAt: 0,
    });
    expect(main.importStaging.leftovers()).toEqual([job.header.batchId]);
    expect(runImportJob(job, deps())).toMatchObject({ kind: 'done' });
    expect(main.importStaging.leftovers()).toEqual([]);
    expect(() => runImportJob(job, deps())).toThrow(/already on this workstation/);
  });
});
