/**
 * Runs imports in import workers and follows each: progress as it comes, the outcome once. One
 * worker is kept waiting between imports, so an import does not pay for starting a thread,
 * loading the worker's code and the database addon again (tens of milliseconds at best, whatever
 * the package's size); a second import started while one runs gets a worker of its own. Each
 * worker starts a checkpointer thread of its own (import-checkpoint.worker.ts). The built app
 * runs the bundled scripts (out/main/import-worker.js and import-checkpointer.js, entries of
 * electron.vite.config.ts); tests and the bench run from source, where they are bundled once per process with
 * esbuild (a development dependency, never loaded by the built app): loading its TypeScript
 * through a loader in every new worker took about half a second each time.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ImportWorkerData, JobRequest, WorkerMessage, WorkerResult, WorkerTarget } from './import-protocol';

export type RunningImport = {
  /** Asks the worker to stop between two clips; it removes what it staged. */
  cancel(): void;
  readonly result: Promise<WorkerResult>;
};

const execFileAsync = promisify(execFile);

/** The scripts of an import worker and of its checkpointer thread. */
type WorkerFiles = { readonly worker: string; readonly checkpointer: string };

const WORKER_JS = 'import-worker.js';
const CHECKPOINTER_JS = 'import-checkpointer.js';

let fromSource: Promise<WorkerFiles> | undefined;

/** The worker and its checkpointer bundled from their TypeScript source, built once per process. */
function sourceBundle(): Promise<WorkerFiles> {
  if (fromSource === undefined) {
    const load = createRequire(__filename);
    const modules = dirname(dirname(load.resolve('better-sqlite3/package.json')));
    // Program code, so it goes with the installed packages rather than the temporary folder that
    // the disk scans of the tests search for anything left of a recording (the bundle holds the
    // audio probe's magic numbers).
    const cache = join(modules, '.cache');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'earmark-import-worker-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    // esbuild's command line, in its own process: its JavaScript API refuses to run under a test
    // environment that replaces TextEncoder (jsdom).
    fromSource = execFileAsync(load.resolve('esbuild/bin/esbuild'), [
      `import-worker=${join(__dirname, 'import.worker.ts')}`,
      `import-checkpointer=${join(__dirname, 'import-checkpoint.worker.ts')}`,
      '--bundle',
      '--platform=node',
      '--format=cjs',
      `--outdir=${dir}`,
      '--log-level=error',
      // The native addon stays where it is installed, found from there: the bundle lives outside the project.
      '--external:better-sqlite3',
      `--banner:js=module.paths.unshift(${JSON.stringify(modules)});`,
    ]).then(() => ({ worker: join(dir, WORKER_JS), checkpointer: join(dir, CHECKPOINTER_JS) }));
  }
  return fromSource;
}

/** The bundled worker and checkpointer of a built app; undefined when running from source. */
const builtWorker = (): WorkerFiles | undefined => {
  // The shared chunk holding this code may sit one folder below the entry points.
  const dir = [__dirname, join(__dirname, '..')].find((d) => existsSync(join(d, WORKER_JS)));
  return dir === undefined ? undefined : { worker: join(dir, WORKER_JS), checkpointer: join(dir, CHECKPOINTER_JS) };
};

/**
 * Starts bundling the worker ahead of the first import when running from source (tests, the
 * bench), so that import does not wait for it; does nothing in a built app.
 */
export function prepareImportWorker(): void {
  if (builtWorker() === undefined) {
    sourceBundle().catch(() => undefined);
  }
}

/**
 * Options for a worker started from the source bundle: the parent's flags without its module
 * loaders (tsx under the tests and the bench), which the plain bundle does not need and which
 * would otherwise be set up again in every worker.
 */
function bundleExecArgv(): string[] {
  const loaders = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);
  const kept: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const flag = arg.split('=')[0] as string;
    if (loaders.has(flag)) {
      if (!arg.includes('=')) {
        i += 1;
      }
    } else {
      kept.push(arg);
    }
  }
  return kept;
}

const counts = { started: 0 };
const live = new Set<Worker>();
let allExited: { promise: Promise<void>; resolve: () => void } | undefined;

/** How many import workers this process started, and how many are running now. */
export function importWorkerCounts(): { readonly started: number; readonly live: number } {
  return { started: counts.started, live: live.size };
}

/** Settles once no import worker of this process is running. */
export function importWorkersExited(): Promise<void> {
  if (live.size === 0) {
    return Promise.resolve();
  }
  if (allExited === undefined) {
    let resolve = (): void => undefined;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    allExited = { promise, resolve };
  }
  return allExited.promise;
}

/** One worker thread and the job it runs, if any. */
type Slot = {
  readonly worker: Worker;
  job:
    | { readonly onProgress: (clipsDone: number, clipsTotal: number) => void; readonly end: (r: WorkerResult) => void }
    | undefined;
  dead: boolean;
};

async function startSlot(): Promise<Slot> {
  const built = builtWorker();
  const files = built ?? (await sourceBundle());
  const workerData: ImportWorkerData = { checkpointer: files.checkpointer };
  const worker = new Worker(
    files.worker,
    built === undefined ? { workerData, execArgv: bundleExecArgv() } : { workerData },
  );
  counts.started += 1;
  live.add(worker);
  const slot: Slot = { worker, job: undefined, dead: false };
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
    const job = slot.job;
    slot.job = undefined;
    job?.end(m);
  });
  worker.on('error', (error: Error) => fail(error.message));
  worker.on('exit', (code) => {
    live.delete(worker);
    if (live.size === 0 && allExited !== undefined) {
      allExited.resolve();
      allExited = undefined;
    }
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

  const take = async (): Promise<Slot> => {
    const slot = waiting !== undefined && !waiting.dead ? waiting : await startSlot();
    waiting = undefined;
    return slot;
  };

  const release = (slot: Slot): void => {
    if (slot.dead) {
      return;
    }
    if (closed || (waiting !== undefined && !waiting.dead)) {
      void slot.worker.terminate();
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
        if (closed) {
          throw new Error('The import workers are closed.');
        }
        slot = await take();
      } catch (error) {
        job.batchKey.fill(0);
        return { kind: 'failed', message: error instanceof Error ? error.message : String(error), sqliteCode: null };
      }
      const outcome = new Promise<WorkerResult>((end) => {
        slot.job = { onProgress, end };
      });
      slot.worker.ref();
      try {
        const request: JobRequest = { ...target, job, cancel };
        slot.worker.postMessage(request, movable);
      } catch (error) {
        slot.job = undefined;
        release(slot);
        return { kind: 'failed', message: error instanceof Error ? error.message : String(error), sqliteCode: null };
      } finally {
        // The worker has its own copy now (the message is cloned as it is posted).
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
      const idle = waiting;
      waiting = undefined;
      if (idle !== undefined && !idle.dead) {
        void idle.worker.terminate();
      }
    },
  };
}
