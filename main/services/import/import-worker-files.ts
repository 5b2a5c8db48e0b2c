/**
 * Where the import worker's scripts come from. The built app runs the bundled scripts
 * (out/main/import-worker.js and import-checkpointer.js, entries of electron.vite.config.ts);
 * tests and the bench run from source, where they are bundled once per process with esbuild (a
 * development dependency, never loaded by the built app): loading its TypeScript through a loader
 * in every new worker took about half a second each time.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';

const execFileAsync = promisify(execFile);

/** The scripts of an import worker and of its checkpointer thread. */
type Scripts = { readonly worker: string; readonly checkpointer: string };

/** The scripts, and the worker's Node options when they are not the process's own. */
export type WorkerFiles = Scripts & { readonly execArgv?: string[] };

const WORKER_JS = 'import-worker.js';
const CHECKPOINTER_JS = 'import-checkpointer.js';

let fromSource: Promise<Scripts> | undefined;

/** The worker and its checkpointer bundled from their TypeScript source, built once per process. */
function sourceBundle(): Promise<Scripts> {
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
const builtWorker = (): Scripts | undefined => {
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

/** The scripts an import worker runs: the built app's, or bundled from source. */
export async function importWorkerFiles(): Promise<WorkerFiles> {
  const built = builtWorker();
  return built ?? { ...(await sourceBundle()), execArgv: bundleExecArgv() };
}
