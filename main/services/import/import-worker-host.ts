/**
 * Runs imports in import workers and follows each: progress as it comes, the outcome once. One
 * worker is kept waiting between imports, so an import does not pay for starting a thread,
 * loading the worker's code and the database addon again (tens of milliseconds at best, whatever
 * the package's size); a second import started while one runs gets a worker of its own. Each
 * worker starts a checkpointer thread of its own (import-checkpoint.worker.ts); where their
 * scripts come from is import-worker-files.ts.
 */
import { Worker } from 'node:worker_threads';
import { importWorkerFiles } from './import-worker-files';
import type {
  ClosingFlag,
  ImportWorkerData,
  JobRequest,
  WorkerMessage,
  WorkerRequest,
  WorkerResult,
  WorkerTarget,
} from './import-protocol';

export type RunningImport = {
  /** Asks the worker to stop between two clips; it removes what it staged. */
  cancel(): void;
  readonly result: Promise<WorkerResult>;
};

const counts = { started: 0, exitedCleanly: 0 };
/** The exit of every import worker of this process still running. */
const live = new Set<Promise<void>>();

/**
 * How many import workers this process started, how many are running now, and how many ended
 * as asked: their checkpointer first, of itself, then the worker, each with exit code 0 (not
 * terminated, not crashed).
 */
export function importWorkerCounts(): {
  readonly started: number;
  readonly live: number;
  readonly exitedCleanly: number;
} {
  return { started: counts.started, live: live.size, exitedCleanly: counts.exitedCleanly };
}

/** Settles once no import worker of this process is running. */
export async function importWorkersExited(): Promise<void> {
  await Promise.all([...live]);
}

/** One worker thread and the job it runs, if any. */
type Slot = {
  readonly worker: Worker;
  job:
    | { readonly onProgress: (clipsDone: number, clipsTotal: number) => void; readonly end: (r: WorkerResult) => void }
    | undefined;
  dead: boolean;
  /** Whether the worker said its checkpointer had ended of itself, with code 0, before it ended. */
  checkpointerEnded: boolean;
  /** Settles once the thread has exited. */
  readonly exited: Promise<void>;
};

async function startSlot(closing: ClosingFlag): Promise<Slot> {
  const files = await importWorkerFiles();
  const workerData: ImportWorkerData = { checkpointer: files.checkpointer, closing };
  const worker = new Worker(files.worker, { workerData, ...(files.execArgv ? { execArgv: files.execArgv } : {}) });
  counts.started += 1;
  let exited = (): void => undefined;
  const slot: Slot = {
    worker,
    job: undefined,
    dead: false,
    checkpointerEnded: false,
    exited: new Promise<void>((r) => {
      exited = r;
    }),
  };
  live.add(slot.exited);
  const fail = (message: string): void => {
    slot.dead = true;
    const job = slot.job;
    slot.job = undefined;
    job?.end({ kind: 'failed', message, sqliteCode: null });
  };
  worker.on('message', (m: WorkerMessage) => {
    if (m.kind === 'progress') {
      slot.job?.onProgress(m.clipsDone, m.clipsTotal);
      return;
    }
    if (m.kind === 'ending') {
      slot.checkpointerEnded = m.checkpointerCode === 0;
      return;
    }
    const job = slot.job;
    slot.job = undefined;
    job?.end(m);
  });
  worker.on('error', (error: Error) => fail(error.message));
  worker.on('exit', (code) => {
    live.delete(slot.exited);
    if (code === 0 && slot.checkpointerEnded) {
      counts.exitedCleanly += 1;
    }
    exited();
    fail(`The import worker stopped (exit code ${code}).`);
  });
  return slot;
}

export type ImportWorkers = ReturnType<typeof createImportWorkers>;

/** The import workers of one services instance, writing to `target`. */
export function createImportWorkers(target: WorkerTarget) {
  // The worker kept waiting for the next import; unreferenced, so it never holds the process open.
  let waiting: Slot | undefined;
  let closed = false;
  const closing: ClosingFlag = new SharedArrayBuffer(4);

  // Read through a call: `closed` changes while a job awaits its worker.
  const isClosed = (): boolean => closed;
  // The exits of every worker this instance started, or is starting, that has not exited yet.
  const own = new Set<Promise<void>>();

  const take = async (): Promise<Slot> => {
    const idle = waiting;
    if (idle !== undefined && !idle.dead) {
      waiting = undefined;
      return idle;
    }
    const starting = startSlot(closing);
    // Counted from before it exists, so `ended` also waits for a worker still starting.
    const exited = starting.then(
      (slot) => slot.exited,
      () => undefined,
    );
    own.add(exited);
    void exited.then(() => own.delete(exited));
    return starting;
  };

  /**
   * Asks an idle worker to end. It stays referenced until it has, so a process ending of itself
   * (the tests, the bench) waits the few milliseconds that takes rather than stop it mid-call.
   */
  const retire = (slot: Slot): void => {
    slot.dead = true;
    slot.worker.ref();
    const exit: WorkerRequest = { kind: 'exit' };
    slot.worker.postMessage(exit);
  };

  const release = (slot: Slot): void => {
    if (slot.dead) {
      return;
    }
    if (closed || (waiting !== undefined && !waiting.dead)) {
      retire(slot);
      return;
    }
    slot.worker.unref();
    waiting = slot;
  };

  /**
   * Runs one job. Bytes in the job whose buffer they fill alone are moved, not copied (the
   * caller's view of them is emptied); others are copied by the structured clone. The job's
   * batch key is the worker's: it is zero-filled here once the worker has its copy.
   */
  const run = (job: JobRequest['job'], onProgress: (clipsDone: number, clipsTotal: number) => void): RunningImport => {
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    const { source } = job;
    const movable =
      typeof source !== 'string' &&
      source.byteOffset === 0 &&
      source.byteLength === source.buffer.byteLength &&
      source.buffer instanceof ArrayBuffer
        ? [source.buffer]
        : [];
    const result = (async (): Promise<WorkerResult> => {
      let slot: Slot;
      try {
        if (isClosed()) {
          // Asked for after the services closed (the app is quitting): cancelled, as a running one is.
          job.batchKey.fill(0);
          return { kind: 'cancelled' };
        }
        slot = await take();
      } catch (error) {
        job.batchKey.fill(0);
        return { kind: 'failed', message: error instanceof Error ? error.message : String(error), sqliteCode: null };
      }
      if (isClosed()) {
        // Closed while a worker was starting: the import is cancelled, as a running one is, and
        // the worker gets no job and ends.
        job.batchKey.fill(0);
        release(slot);
        return { kind: 'cancelled' };
      }
      const outcome = new Promise<WorkerResult>((end) => {
        slot.job = { onProgress, end };
      });
      slot.worker.ref();
      // Every view in a buffer of its own, but bytes moved whole: a clone copies a view's whole
      // buffer, and a small Buffer's is the process's shared pool, with whatever else was
      // allocated beside it (another key, a token).
      const batchKey = new Uint8Array(job.batchKey);
      const own = { batchKey, wrap: new Uint8Array(job.wrap) };
      const bytes = typeof source === 'string' || movable.length > 0 ? source : new Uint8Array(source);
      try {
        const request: JobRequest = { kind: 'run', ...target, job: { ...job, ...own, source: bytes }, cancel };
        slot.worker.postMessage(request, movable);
      } catch (error) {
        slot.job = undefined;
        release(slot);
        return { kind: 'failed', message: error instanceof Error ? error.message : String(error), sqliteCode: null };
      } finally {
        // The worker has its own copy now (the message is cloned as it is posted).
        batchKey.fill(0);
        job.batchKey.fill(0);
      }
      const ended = await outcome;
      release(slot);
      return ended;
    })();
    return {
      cancel: () => {
        Atomics.store(flag, 0, 1);
      },
      result,
    };
  };

  return {
    run,
    /**
     * Ends the waiting worker now, and each busy one as soon as its job has ended (a cancelled
     * job removes what it staged first).
     */
    close: (): void => {
      closed = true;
      Atomics.store(new Int32Array(closing), 0, 1);
      const idle = waiting;
      waiting = undefined;
      if (idle !== undefined && !idle.dead) {
        retire(idle);
      }
    },
    /** Settles once every worker of this instance has ended (after {@link close}, within milliseconds). */
    ended: async (): Promise<void> => {
      await Promise.all([...own]);
    },
  };
}
