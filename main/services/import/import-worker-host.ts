/**
 * Starts the import worker and follows it: progress as it comes, the outcome once. The built
 * app runs the bundled worker (out/main/import-worker.js, an entry of electron.vite.config.ts);
 * tests and the bench run from source, where the worker is bundled once per process with
 * esbuild (a development dependency, never loaded by the built app): loading its TypeScript
 * through a loader in every new worker took about half a second each time.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerData, WorkerMessage, WorkerResult } from './import-protocol';

export type RunningImport = {
  /** Asks the worker to stop between two clips; it removes what it staged. */
  cancel(): void;
  readonly result: Promise<WorkerResult>;
};

const execFileAsync = promisify(execFile);

let fromSource: Promise<string> | undefined;

/** The worker bundled from its TypeScript source, built once per process. */
function sourceBundle(): Promise<string> {
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
    const out = join(dir, 'import-worker.js');
    // esbuild's command line, in its own process: its JavaScript API refuses to run under a test
    // environment that replaces TextEncoder (jsdom).
    fromSource = execFileAsync(load.resolve('esbuild/bin/esbuild'), [
      join(__dirname, 'import.worker.ts'),
      '--bundle',
      '--platform=node',
      '--format=cjs',
      `--outfile=${out}`,
      '--log-level=error',
      // The native addon stays where it is installed, found from there: the bundle lives outside the project.
      '--external:better-sqlite3',
      `--banner:js=module.paths.unshift(${JSON.stringify(modules)});`,
    ]).then(() => out);
  }
  return fromSource;
}

/** The bundled worker of a built app; undefined when running from source. */
const builtWorker = (): string | undefined =>
  // The shared chunk holding this code may sit one folder below the entry points.
  [join(__dirname, 'import-worker.js'), join(__dirname, '..', 'import-worker.js')].find((f) => existsSync(f));

/**
 * Starts bundling the worker ahead of the first import when running from source (tests, the
 * bench), so that import does not wait for it; does nothing in a built app.
 */
export function prepareImportWorker(): void {
  if (builtWorker() === undefined) {
    sourceBundle().catch(() => undefined);
  }
}

/** Starts the worker; the batch key in `data` is zero-filled once the worker has its copy. */
async function spawn(data: WorkerData, transferList: readonly ArrayBuffer[]): Promise<Worker> {
  try {
    const file = builtWorker() ?? (await sourceBundle());
    return new Worker(file, { workerData: data, transferList: [...transferList] });
  } finally {
    data.job.batchKey.fill(0);
  }
}

/**
 * Runs one job in a new worker. Bytes in the job whose buffer they fill alone are moved, not
 * copied (the caller's view of them is emptied); others are copied by the structured clone.
 * The job's batch key is the worker's: it is zero-filled here once the worker has its copy.
 */
export function runImportWorker(
  data: Omit<WorkerData, 'cancel'>,
  onProgress: (clipsDone: number, clipsTotal: number) => void,
): RunningImport {
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const { source } = data.job;
  const movable =
    typeof source !== 'string' &&
    source.byteOffset === 0 &&
    source.byteLength === source.buffer.byteLength &&
    source.buffer instanceof ArrayBuffer
      ? [source.buffer]
      : [];
  const started = spawn({ ...data, cancel }, movable);
  const result = started.then(
    (worker) =>
      new Promise<WorkerResult>((resolve) => {
        let ended = false;
        const end = (r: WorkerResult): void => {
          if (!ended) {
            ended = true;
            resolve(r);
          }
        };
        worker.on('message', (m: WorkerMessage) => {
          if (m.kind === 'progress') {
            onProgress(m.clipsDone, m.clipsTotal);
          } else {
            end(m);
          }
        });
        worker.on('error', (error: Error) => end({ kind: 'failed', message: error.message, sqliteCode: null }));
        worker.on('exit', (code) =>
          end({ kind: 'failed', message: `The import worker stopped (exit code ${code}).`, sqliteCode: null }),
        );
      }),
    (error: unknown): WorkerResult => ({
      kind: 'failed',
      message: error instanceof Error ? error.message : String(error),
      sqliteCode: null,
    }),
  );
  return {
    cancel: () => {
      Atomics.store(flag, 0, 1);
    },
    result,
  };
}
