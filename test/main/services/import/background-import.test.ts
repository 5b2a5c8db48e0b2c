import { copyFileSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportProgress } from '../../../../shared/domain/import';
import { generateDeviceKey } from '../../../../core/crypto/device-key';
import { sineWav, writeTestPackage } from '../../../support/packages';
import Database from 'better-sqlite3';
import { ServiceError } from '../../../../main/services/service-error';
import { importWorkerCounts, importWorkersExited } from '../../../../main/services/import/import-worker-host';
import { makeServices, queryDb, type ServicesEnv } from '../../../support/services';
import { makeTempDir } from '../../../support/temp-dir';
import { testClipId } from '../../../support/ids';

/** The ServiceError an import ended with. */
async function failure(work: Promise<unknown>): Promise<ServiceError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ServiceError) {
      return error;
    }
    throw error;
  }
  throw new Error('The import did not fail.');
}

const clips = Array.from({ length: 12 }, (_, i) => ({ id: testClipId(i) }));

describe('vault: importing in the import worker', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  let progress: ImportProgress[];
  const rows = (table: string): number =>
    queryDb<{ n: number }>(env.dataDir, `SELECT count(*) AS n FROM ${table}`)[0]?.n ?? -1;
  const pack = (batchId = 'b-AAAAAAAAAAAAABG1') =>
    writeTestPackage(join(tmp.dir, `${batchId}.earmark`), {
      batchId,
      recipient: env.services.vault.deviceKey().publicKey,
      clips,
    });

  beforeEach(() => {
    env = makeServices();
    tmp = makeTempDir('earmark-bg-');
    progress = [];
    env.services.events.subscribe((event, payload) => {
      if (event === 'imports:changed') {
        progress.push(payload as ImportProgress);
      }
    });
  });
  afterEach(async () => {
    env.dispose();
    tmp.remove();
    // So that the counts one test reads are its own workers'.
    await importWorkersExited();
  });

  it('imports a package from its bytes, reports its progress, and opens its clips', async () => {
    const built = pack();
    const report = await env.services.vault.importInBackground(readFileSync(built.file));

    expect(report).toEqual({ batchId: 'b-AAAAAAAAAAAAABG1', imported: 12, quarantined: [], withdrawn: [] });
    expect(env.services.batches.list().map((b) => b.id)).toEqual(['b-AAAAAAAAAAAAABG1']);
    expect(
      Buffer.from(env.services.vault.openClip('b-AAAAAAAAAAAAABG1', 'c-AAAAAAAAAAAAAA11').audio).equals(
        built.clips[11]?.audio as Buffer,
      ),
    ).toBe(true);
    const phases = progress.map((p) => p.phase);
    expect(phases[0]).toBe('reading');
    expect(phases.at(-1)).toBe('done');
    expect(new Set(progress.map((p) => p.importId)).size).toBe(1);
    expect(progress.at(-1)).toMatchObject({ batchId: 'b-AAAAAAAAAAAAABG1', clipsDone: 12, clipsTotal: 12 });
    const done = progress.filter((p) => p.phase === 'importing').map((p) => p.clipsDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });

  it('hands the worker the job alone, not the memory beside its bytes', async () => {
    // A clone copies the whole buffer under a view: for a small Buffer, the shared pool, which
    // may hold the batch key (or another) beside it.
    const posted = vi.spyOn(Worker.prototype, 'postMessage');
    const views = (value: unknown, path: string): [string, number, number][] => {
      if (ArrayBuffer.isView(value)) {
        return [[path, value.byteLength, value.buffer.byteLength]];
      }
      if (typeof value !== 'object' || value === null) {
        return [];
      }
      return Object.entries(value).flatMap(([k, v]) => views(v, `${path}.${k}`));
    };
    try {
      await env.services.vault.importInBackground(pack().file);
      // A package small enough that its bytes are a view of the pool, as a caller's small Buffer is.
      const two = writeTestPackage(join(tmp.dir, 'two.earmark'), {
        batchId: 'b-AAAAAAAAAAAAABG2',
        recipient: env.services.vault.deviceKey().publicKey,
        clips: clips.slice(0, 2),
      });
      const small = Buffer.from(readFileSync(two.file));
      expect(small.buffer.byteLength).toBeGreaterThan(small.byteLength);
      await env.services.vault.importInBackground(small);
      const jobs = posted.mock.calls
        .map(([message]) => message as { kind?: string; job?: { batchKey: Uint8Array } })
        .filter((m) => m.kind === 'run');
      expect(jobs).toHaveLength(2);
      const found = jobs.flatMap((m) => views(m.job, 'job'));
      expect(found.map(([path]) => path)).toEqual(expect.arrayContaining(['job.batchKey', 'job.wrap', 'job.source']));
      expect(found.filter(([, length, whole]) => length !== whole)).toEqual([]);
      // Zero-filled once posted: the worker has its own copy.
      expect(jobs.every((m) => m.job?.batchKey.every((b) => b === 0))).toBe(true);
    } finally {
      posted.mockRestore();
    }
  });

  it('from a file, refuses a batch already here and leaves the first as it was', async () => {
    const built = pack();
    await env.services.vault.importInBackground(built.file);
    expect(await failure(env.services.vault.importInBackground(built.file))).toMatchObject({
      code: 'PACKAGE_REFUSED',
      details: { reason: 'already_imported', batchId: 'b-AAAAAAAAAAAAABG1' },
    });
    expect(rows('clips')).toBe(12);
    expect(progress.at(-1)?.phase).toBe('failed');
  });

  it('refuses a package for another workstation before starting the worker', async () => {
    const built = writeTestPackage(join(tmp.dir, 'other.earmark'), { recipient: generateDeviceKey().publicKey });
    expect(await failure(env.services.vault.importInBackground(built.file))).toMatchObject({
      code: 'PACKAGE_REFUSED',
      details: { reason: 'other_workstation' },
    });
    expect(['batches', 'clips'].map(rows)).toEqual([0, 0]);
  });

  it('is cancelled by a revocation arriving mid-import and leaves nothing', async () => {
    const built = pack();
    const running = env.services.vault.importInBackground(built.file);
    env.services.vault.revoke('b-AAAAAAAAAAAAABG1');
    expect(await failure(running)).toMatchObject({ code: 'EXPIRED' });
    expect(env.services.batches.list()).toEqual([]);
    expect(['batches', 'batch_keys', 'clips', 'refused_clips'].map(rows)).toEqual([0, 0, 0, 0]);
    expect(progress.at(-1)?.phase).toBe('cancelled');
  });

  it('stops when the app locks, keeping no key', async () => {
    const built = pack();
    const running = env.services.vault.importInBackground(built.file);
    env.services.vault.lockKeys();
    expect(await failure(running)).toMatchObject({ code: 'LOCKED' });
    env.services.vault.unlockKeys();

    expect(['batches', 'clips'].map(rows)).toEqual([0, 0]);
  });

  it('runs imports one after another in the same waiting worker, and ends it when the services close', async () => {
    const before = importWorkerCounts().started;
    const cleanBefore = importWorkerCounts().exitedCleanly;
    await env.services.vault.importInBackground(pack('b-AAAAAAAAAAAAABG1').file);
    await env.services.vault.importInBackground(pack('b-AAAAAAAAAAAAABG2').file);
    await env.services.vault.importInBackground(readFileSync(pack('b-AAAAAAAAAAAAABG3').file));

    expect(importWorkerCounts().started - before).toBe(1);
    expect(importWorkerCounts().live).toBe(1);
    expect(rows('clips')).toBe(36);

    env.reopen();
    await importWorkersExited();
    expect(importWorkerCounts().live).toBe(0);
    // Asked to end, not terminated: a thread stopped inside the database addon aborts the process.
    expect(importWorkerCounts().exitedCleanly - cleanBefore).toBe(1);
  });

  it('ends a worker still starting when the app quits, and cancels its import, leaving nothing', async () => {
    const before = importWorkerCounts();
    const importing = failure(env.services.vault.importInBackground(pack().file));
    // Asked before the worker exists: what it waits for includes the worker being started.
    await env.services.endWorkers();
    const after = importWorkerCounts();
    expect([after.started - before.started, after.exitedCleanly - before.exitedCleanly, after.live]).toEqual([1, 1, 0]);
    expect(await importing).toMatchObject({ code: 'UNAVAILABLE' });
    expect(['batches', 'clips'].map(rows)).toEqual([0, 0]);
  });

  it('gives a second import started while one runs a worker of its own, and keeps one waiting after', async () => {
    const before = importWorkerCounts().started;
    const cleanBefore = importWorkerCounts().exitedCleanly;
    const first = pack('b-AAAAAAAAAAAAABG1');
    const second = pack('b-AAAAAAAAAAAAABG2');
    await Promise.all([
      env.services.vault.importInBackground(first.file),
      env.services.vault.importInBackground(second.file),
    ]);
    await env.services.vault.importInBackground(pack('b-AAAAAAAAAAAAABG3').file);

    expect(importWorkerCounts().started - before).toBe(2);
    expect(rows('clips')).toBe(36);
    expect(env.services.batches.list().map((b) => b.id)).toEqual([
      'b-AAAAAAAAAAAAABG1',
      'b-AAAAAAAAAAAAABG2',
      'b-AAAAAAAAAAAAABG3',
    ]);
    // The worker that found another already waiting was asked to end, and did.
    await vi.waitFor(() => expect(importWorkerCounts().exitedCleanly - cleanBefore).toBe(1), { timeout: 30_000 });
  });

  it('moves each chunk it committed but the last into the database file beside the import', async () => {
    // Two chunks (256 clips, then 44), far from the 1,000 WAL pages at which a commit would
    // checkpoint by itself: only the import's checkpointer thread moves them out of the WAL.
    const audio = sineWav({ durationMs: 40 });
    const many = Array.from({ length: 300 }, (_, i) => ({ id: testClipId(i), audio, durationMs: 40 }));
    const built = writeTestPackage(join(tmp.dir, 'many.earmark'), {
      batchId: 'b-AAAAAAAAAAAAABG1',
      recipient: env.services.vault.deviceKey().publicKey,
      clips: many,
    });
    await env.services.vault.importInBackground(built.file);

    // The database file alone, without its WAL: what a checkpoint has copied into it. The
    // timeout bounds the wait for the thread on a busy machine; it measures nothing.
    const fileOnly = join(tmp.dir, 'file-only.db');
    await vi.waitFor(
      () => {
        copyFileSync(join(env.dataDir, 'earmark.db'), fileOnly);
        const db = new Database(fileOnly, { readonly: true });
        try {
          expect((db.prepare('SELECT count(*) AS n FROM clips').get() as { n: number }).n).toBeGreaterThanOrEqual(256);
        } finally {
          db.close();
        }
      },
      { timeout: 10_000 },
    );
    expect(rows('clips')).toBe(300);
  });

  it('removes at start what a killed import left staged', () => {
    const db = new Database(join(env.dataDir, 'earmark.db'));
    db.exec(
      "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status, staged) VALUES ('b-AAAAAAAAAAAAHA1F', 'en-US', 2, 0, 9e12, 0, 'active', 1)",
    );
    db.exec(
      "INSERT INTO clips (batch_id, clip_id, ordinal, state) VALUES ('b-AAAAAAAAAAAAHA1F', 'c-AAAAAAAAAAAAAAA0', 0, 'purged')",
    );
    db.close();
    expect(env.services.batches.list()).toEqual([]);

    env.reopen();

    expect(['batches', 'clips'].map(rows)).toEqual([0, 0]);
  });
});
