/**
 * Starts the import worker and follows it: progress as it comes, the outcome once. The built
 * app runs the bundled worker (out/main/import-worker.js, an entry of electron.vite.config.ts);
 * tests and the bench run from source, where the worker's TypeScript goes through tsx.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { WorkerData, WorkerMessage, WorkerResult } from './import-protocol';

export type RunningImport = {
  /** Asks the worker to stop between two clips; it removes what it staged. */
  cancel(): void;
  readonly result: Promise<WorkerResult>;
};

function spawn(data: WorkerData, transferList: readonly ArrayBuffer[]): Worker {
  const options: WorkerOptions = { workerData: data, transferList: [...transferList] };
  // The shared chunk holding this code may sit one folder below the entry points.
  const built = [join(__dirname, 'import-worker.js'), join(__dirname, '..', 'import-worker.js')].find((f) =>
    existsSync(f),
  );
  if (built) {
    return new Worker(built, options);
  }
  const tsx = createRequire(__filename).resolve('tsx/cjs');
  const source = join(__dirname, 'import.worker.ts');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, { ...options, eval: true });
}

/**
 * Runs one job in a new worker. Bytes in the job whose buffer they fill alone are moved, not
 * copied (the caller's view of them is emptied); others are copied by the structured clone.
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
  const worker = spawn({ ...data, cancel }, movable);
  const result = new Promise<WorkerResult>((resolve) => {
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
  });
  return {
    cancel: () => {
      Atomics.store(flag, 0, 1);
    },
    result,
  };
}
