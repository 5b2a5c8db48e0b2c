/**
 * The import worker: runs import jobs, one at a time as they arrive, each on its own database
 * connection, so the main thread's event loop and its writes (draft saves, submits) never wait
 * on a long transaction. It reports each job's progress and outcome by message, then waits for
 * the next job: it stays loaded between imports until main ends it.
 */
import { parentPort } from 'node:worker_threads';
import { PackageRefusedError } from '../../../core/package/package-refusal';
import { openConnection } from '../../db/connection';
import { createImportStagingRepository } from '../../db/repositories/import-staging.repository';
import { createVaultRepository } from '../../db/repositories/vault.repository';
import { runImportJob } from './import-job';
import type { JobRequest, WorkerMessage } from './import-protocol';

const post = (message: WorkerMessage): void => parentPort?.postMessage(message);

function run(request: JobRequest): void {
  const cancel = new Int32Array(request.cancel);
  try {
    const db = openConnection(request.dbFile, request.nativeBinding ? { nativeBinding: request.nativeBinding } : {});
    try {
      const outcome = runImportJob(request.job, {
        staging: createImportStagingRepository(db),
        vault: createVaultRepository(db),
        cancelled: () => Atomics.load(cancel, 0) !== 0,
        progress: (clipsDone, clipsTotal) => post({ kind: 'progress', clipsDone, clipsTotal }),
        ...(request.chunk ? { chunk: request.chunk } : {}),
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
    request.job.batchKey.fill(0);
  }
}

parentPort?.on('message', (request: JobRequest) => run(request));
