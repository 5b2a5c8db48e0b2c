/** What the main thread and the import worker say to each other. */
import type { ImportReport } from '../../../shared/domain/batch';
import type { PackageRefusal } from '../../../shared/result';
import type { ChunkLimits, ImportJob } from './import-job';

/** Where and how the worker writes: the same for every job of one services instance. */
export type WorkerTarget = {
  /** The database file; the worker opens its own connection to it for each job. */
  readonly dbFile: string;
  /** The better-sqlite3 addon built for Electron's ABI, when running under Electron. */
  readonly nativeBinding?: string;
  readonly chunk?: ChunkLimits;
};

/**
 * One Int32 shared by main, its import workers and their checkpointer threads: set to 1 by main
 * once the services close. From then on a checkpointer opens nothing and checkpoints nothing, so
 * nothing it still had queued touches a database that may be on its way to deletion.
 */
export type ClosingFlag = SharedArrayBuffer;

/** What an import worker is started with. */
export type ImportWorkerData = {
  /** The script of its checkpointer thread, beside the worker's own. */
  readonly checkpointer: string;
  readonly closing: ClosingFlag;
};

/** What a checkpointer thread is started with. */
export type CheckpointerData = { readonly closing: ClosingFlag };

/** What an import worker tells its checkpointer thread. */
export type CheckpointerMessage =
  /** Open a connection to the import's database (closing any other first). */
  | { readonly kind: 'open'; readonly dbFile: string; readonly nativeBinding?: string }
  /** Commits were added to the WAL: move what is there into the database file. */
  | { readonly kind: 'checkpoint' }
  | { readonly kind: 'close' }
  /** Close the connection and end the thread. */
  | { readonly kind: 'exit' };

/** One import, sent to a waiting worker; a worker runs one at a time. */
export type JobRequest = WorkerTarget & {
  readonly kind: 'run';
  readonly job: ImportJob;
  /** One Int32: set to 1 by main to cancel, read by the worker between clips. */
  readonly cancel: SharedArrayBuffer;
};

/**
 * What main tells an import worker: run a job, or end (after its checkpointer has closed its
 * connection). A worker is never terminated: a thread stopped inside a call into the database
 * addon aborts the whole process.
 */
export type WorkerRequest = JobRequest | { readonly kind: 'exit' };

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly clipsDone: number; readonly clipsTotal: number }
  | { readonly kind: 'done'; readonly report: ImportReport }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'refused'; readonly message: string; readonly refusal: PackageRefusal }
  /** `sqliteCode` is better-sqlite3's code (SQLITE_FULL…) when the database refused the write. */
  | { readonly kind: 'failed'; readonly message: string; readonly sqliteCode: string | null }
  /** Asked to end: its checkpointer has exited (null: it had none left), and the worker exits next. */
  | { readonly kind: 'ending'; readonly checkpointerCode: number | null };

/** How a job ended, as main sees it. */
export type WorkerResult = Exclude<WorkerMessage, { kind: 'progress' | 'ending' }>;
