/**
 * The import worker: runs import jobs, one at a time as they arrive, each on its own database
 * connection, so the main thread's event loop and its writes (draft saves, submits) never wait
 * on a long transaction. Its checkpointer thread moves each committed chunk out of the WAL
 * while it checks the next. It reports each job's progress and outcome by message, then waits
 * for the next job: it stays loaded between imports until main ends it.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { PackageRefusedError } from '../../../core/package/package-refusal';
import { openConnection } from '../../db/connection';
import { createImportStagingRepository } from '../../db/repositories/import-staging.repository';
import { createVaultRepository } from '../../db/repositories/vault.repository';
import { runImportJob } from './import-job';
import type { CheckpointerMessage, ImportWorkerData, JobRequest, WorkerMessage } from './import-protocol';

const post = (message: WorkerMessage): void => parentPort?.postMessage(message);

/**
 * The checkpointer thread, started with the worker so it is loaded by the first job. Should it
 * stop, it is not started again: commits then checkpoint as they would without it.
 */
let checkpointer: Worker | undefined = new Worker((workerData as ImportWorkerData).checkpointer);
// It ends with this worker; nothing here waits on it.
checkpointer.unref();
// What stopped it changes nothing that is stored; its exit says it is gone.
checkpointer.on('error', () => undefined);
checkpointer.on('exit', () => {
  checkpointer = undefined;
});

const tell = (message: CheckpointerMessage): void => checkpointer?.postMessage(message);

function run(request: JobRequest): void {
  const cancel = new Int32Array(request.cancel);
  try {
    const db = openConnection(request.dbFile, request.nativeBinding ? { nativeBinding: request.nativeBinding } : {});
    tell({
      kind: 'open',
      dbFile: request.dbFile,
      ...(request.nativeBinding ? { nativeBinding: request.nativeBinding } : {}),
    });
    try {
      const outcome = runImportJob(request.job, {
        staging: createImportStagingRepository(db),
        vault: createVaultRepository(db),
        cancelled: () => Atomics.load(cancel, 0) !== 0,
        progress: (clipsDone, clipsTotal) => {
          if (clipsDone < clipsTotal) {
            // A chunk was just committed: its pages go to the database file while the next is
            // checked. The last one's stay in the WAL, as any commit's do, for a later checkpoint.
            tell({ kind: 'checkpoint' });
          }
          post({ kind: 'progress', clipsDone, clipsTotal });
        },
        ...(request.chunk ? { chunk: request.chunk } : {}),
      });
      post(outcome);
    } finally {
      db.close();
      tell({ kind: 'close' });
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
