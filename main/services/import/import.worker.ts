/**
 * The import worker: runs one import job on its own database connection, so the main thread's
 * event loop and its writes (draft saves, submits) never wait on a long transaction. It reports
 * progress and its outcome by message and then exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PackageRefusedError } from '../../../core/package/package-refusal';
import { openConnection } from '../../db/connection';
import { createImportStagingRepository } from '../../db/repositories/import-staging.repository';
import { createVaultRepository } from '../../db/repositories/vault.repository';
import { runImportJob } from './import-job';
import type { WorkerData, WorkerMessage } from './import-protocol';

const post = (message: WorkerMessage): void => parentPort?.postMessage(message);

function main(data: WorkerData): void {
  const cancel = new Int32Array(data.cancel);
  try {
    const db = openConnection(data.dbFile, data.nativeBinding ? { nativeBinding: data.nativeBinding } : {});
    try {
      const outcome = runImportJob(data.job, {
        staging: createImportStagingRepository(db),
        vault: createVaultRepository(db),
        cancelled: () => Atomics.load(cancel, 0) !== 0,
        progress: (clipsDone, clipsTotal) => post({ kind: 'progress', clipsDone, clipsTotal }),
        ...(data.chunk ? { chunk: data.chunk } : {}),
      });
      post(outcome);
    } finally {
      db.close();
    }
  } catch (error) {
    post(
      error instanceof PackageRefusedError
        ? { kind: 'refused', message: error.message, refusal: error.refusal }
        : {
            kind: 'failed',
            message: error instanceof Error ? error.message : String(error),
            sqliteCode:
              typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : null,
          },
    );
  } finally {
    data.job.batchKey.fill(0);
  }
}

main(workerData as WorkerData);
