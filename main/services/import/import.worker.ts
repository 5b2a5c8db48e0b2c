/**
 * The import worker: runs import jobs, one at a time as they arrive, each on its own database
 * connection, so the main thread's event loop and its writes (draft saves, submits) never wait
 * on a long transaction. Its checkpointer thread moves each committed chunk out of the WAL
 * while it checks the next. It reports each job's progress and outcome by message, then waits
 * for the next job: it stays loaded between imports until main asks it to end. It then ends
 * its checkpointer and itself, each with its connection closed: main never terminates either,
 * as a thread stopped inside a call into the database addon aborts the whole process.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { PackageRefusedError } from '../../../core/package/package-refusal';
import { openConnection } from '../../db/connection';
import { createImportStagingRepository } from '../../db/repositories/import-staging.repository';
import { createVaultRepository } from '../../db/repositories/vault.repository';
import { runImportJob } from './import-job';
import type {
  CheckpointerData,
  CheckpointerMessage,
  ImportWorkerData,
  JobRequest,
  WorkerMessage,
  WorkerRequest,
} from './import-protocol';

const post = (message: WorkerMessage): void => parentPort?.postMessage(message);

/**
 * The checkpointer thread, started with the worker so it is loaded by the first job. Should it
 * stop, it is not started again: commits then checkpoint as they would without it.
 */
const data = workerData as ImportWorkerData;
const checkpointerData: CheckpointerData = { closing: data.closing };
const closing = new Int32Array(data.closing);
let checkpointer: Worker | undefined = new Worker(data.checkpointer, { workerData: checkpointerData });
// It ends with this worker; nothing here waits on it.
checkpointer.unref();
// What stopped it changes nothing that is stored; its exit says it is gone.
checkpointer.on('error', () => undefined);
checkpointer.on('exit', () => {
  checkpointer = undefined;
});

const tell = (message: CheckpointerMessage): void => checkpointer?.postMessage(message);

/**
 * The page cache of a job's connection, in KiB. A job mostly appends: a chunk larger than the
 * cache writes its pages to the WAL before its commit (uncommitted, unseen by other connections),
 * which the commit would have written anyway. SQLite's default (about 2 MiB) is memory each job's
 * new connection allocates, fresh in a worker that has not yet run a big job, at a page fault per
 * 4 KiB. Measured on 1,000-clip imports: some 800 fewer page faults and about 8% less time in the
 * job. Discarding a cancelled import's rows may take longer with it.
 */
const JOB_CACHE_KIB = 256;

/** Runs one job; what it says comes after its connection is closed, so main may end this thread then. */
function attempt(request: JobRequest): WorkerMessage {
  const cancel = new Int32Array(request.cancel);
  try {
    if (Atomics.load(closing, 0) !== 0) {
      // The services closed after this job was posted: it is cancelled, as a running one is.
      return { kind: 'cancelled' };
    }
    // Never creates the file: main made it, and one removed since (the services closed) stays removed.
    const db = openConnection(request.dbFile, {
      fileMustExist: true,
      cacheKib: JOB_CACHE_KIB,
      ...(request.nativeBinding ? { nativeBinding: request.nativeBinding } : {}),
    });
    tell({
      kind: 'open',
      dbFile: request.dbFile,
      ...(request.nativeBinding ? { nativeBinding: request.nativeBinding } : {}),
    });
    try {
      return runImportJob(request.job, {
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
    } finally {
      db.close();
      tell({ kind: 'close' });
    }
  } catch (error) {
    return error instanceof PackageRefusedError
      ? { kind: 'refused', message: error.message, refusal: error.refusal }
      : {
          kind: 'failed',
          message: error instanceof Error ? error.message : String(error),
          sqliteCode: typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : null,
        };
  } finally {
    request.job.batchKey.fill(0);
  }
}

/** Ends this thread once its checkpointer has ended (its connection closed). */
function exit(): void {
  if (checkpointer === undefined) {
    post({ kind: 'ending', checkpointerCode: null });
    process.exit(0);
  }
  checkpointer.once('exit', (code: number) => {
    post({ kind: 'ending', checkpointerCode: code });
    process.exit(0);
  });
  tell({ kind: 'exit' });
}

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.kind === 'exit') {
    exit();
  } else {
    post(attempt(request));
  }
});
