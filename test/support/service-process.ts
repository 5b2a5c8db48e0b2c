/**
 * The reference service as its own process (`service/main.ts` under tsx), for fault tests that
 * kill it, restart it and put an older copy of its store back. The store is prepared in this
 * process first (the demo reviewer, a batch of tiny clips, enrolment codes): the service seeds
 * nothing of its own unless given `--demo`; restarts reuse the first port, so the workstation
 * keeps its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { totpCode } from '../../service/auth';
import { CLI_SOURCE } from '../../service/audit';
import { createCore } from '../../service/core';
import { issueEnrolmentCodes } from '../../service/enrolment-codes';
import { addAccount, addBatch, DEMO_REVIEWER } from '../../service/seed';
import type { ServiceStore } from '../../service/store/repositories';
import { openSqliteServiceStore } from '../../service/store/sqlite/service-store';
import { silentClips } from './packages';

const ROOT = resolve(__dirname, '../..');
const READY = /^Earmark reference service on (https?:\/\/\S+) /m;
/** A service that has not said where it listens by then is stuck. */
const START_LIMIT_MS = 30_000;

export type ServiceProcess = {
  readonly url: string;
  /** `SIGKILL`: no shutdown, no checkpoint; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** Sends `SIGTERM` without waiting: the service shuts down gracefully; `exited` resolves with its code. */
  terminate(): void;
  readonly exited: Promise<number | null>;
  /** What the process wrote to standard output so far (with `--log-format json`: its log lines). */
  stdout(): string;
  /** What the process wrote to standard error so far (warnings; with `--log-format json`, its other lines). */
  stderr(): string;
  /** Resolves with standard output once it matches `pattern` (the lines it prints after listening). */
  printed(pattern: RegExp): Promise<string>;
  /** `SIGTERM`: the service closes its store and exits; resolves once it has. */
  stop(): Promise<void>;
};

/** The store file of a data folder, and its write-ahead log and index beside it. */
export const storeFiles = (dataDir: string): string[] =>
  ['service.db', 'service.db-wal', 'service.db-shm'].map((f) => join(dataDir, f));

/**
 * Prepares a store, the SQLite file in `dataDir` unless another `store` is given (closed after):
 * the demo reviewer, one batch of `clips` clips; returns enrolment codes.
 */
export async function prepareServiceStore(
  dataDir: string,
  batchId: string,
  clips: number,
  store: ServiceStore = openSqliteServiceStore(join(dataDir, 'service.db')),
): Promise<string[]> {
  const core = createCore({ store });
  try {
    await addAccount(core, DEMO_REVIEWER, { maxDevices: 4 });
    await addBatch(core, { batchId, assignedTo: DEMO_REVIEWER.account, clips: silentClips(clips) });
    return (await issueEnrolmentCodes(core, { operator: 'tests', source: CLI_SOURCE }, DEMO_REVIEWER.account)).codes;
  } finally {
    await core.store.close();
  }
}

/** Sign-in details for the demo reviewer with the current one-time code. */
export const reviewerCredentials = (enrolmentCode: string) => ({
  account: DEMO_REVIEWER.account,
  password: DEMO_REVIEWER.password,
  totp: totpCode(DEMO_REVIEWER.totpSecret, Date.now()),
  enrolmentCode,
});

/** Copies the store's files to `toDir` (the service must be stopped, so they agree with each other). */
export function copyStore(fromDir: string, toDir: string): void {
  storeFiles(fromDir).forEach((file, i) => {
    const target = storeFiles(toDir)[i] as string;
    rmSync(target, { force: true });
    if (existsSync(file)) {
      copyFileSync(file, target);
    }
  });
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((done) => child.once('exit', () => done()));

const serviceArgs = (dataDir: string, port: number, args: readonly string[]): string[] => [
  '--import',
  'tsx',
  'service/main.ts',
  '--port',
  String(port),
  '--data',
  dataDir,
  '--quiet',
  ...args,
];

/**
 * Runs `service/main.ts` over `dataDir` with `args` (and `env` added to this process's), for a
 * start that is refused: resolves once it exits.
 */
export function runServiceToExit(
  dataDir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, serviceArgs(dataDir, 0, args), {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const limit = setTimeout(() => child.kill('SIGKILL'), START_LIMIT_MS);
  return new Promise((done) =>
    child.once('close', (code) => {
      clearTimeout(limit);
      done({ code, stdout, stderr });
    }),
  );
}

/** Starts `service/main.ts` on `port` (0: any free one) over `dataDir`, with `args` added. */
export function startServiceProcess(dataDir: string, port = 0, args: readonly string[] = []): Promise<ServiceProcess> {
  const child = spawn(process.execPath, serviceArgs(dataDir, port, args), {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  const waiting = new Set<() => void>();
  let closed = false;
  let stderr = '';
  // With `--log-format json` the human-readable lines (where it listens) go to standard error.
  const ready = (): void => {
    const found = READY.exec(stdout) ?? READY.exec(stderr);
    if (found?.[1]) {
      onReady(found[1]);
    }
  };
  let onReady: (url: string) => void = () => undefined;
  const exitCode = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    ready();
  });
  return new Promise((resolveStart, rejectStart) => {
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      rejectStart(new Error(`The service did not start: ${stderr}`));
    }, START_LIMIT_MS);
    const early = (code: number | null): void => {
      clearTimeout(limit);
      rejectStart(new Error(`The service exited (${String(code)}) before it listened: ${stderr}`));
    };
    child.once('exit', early);
    onReady = (url) => {
      onReady = () => undefined;
      clearTimeout(limit);
      child.removeListener('exit', early);
      resolveStart({
        url,
        terminate: () => {
          child.kill('SIGTERM');
        },
        exited: exitCode,
        stdout: () => stdout,
        stderr: () => stderr,
        printed: (pattern) =>
          new Promise((found, failed) => {
            const check = (): void => {
              if (pattern.test(stdout)) {
                waiting.delete(check);
                found(stdout);
              } else if (closed) {
                waiting.delete(check);
                failed(new Error(`The service exited without printing ${String(pattern)}: ${stdout}${stderr}`));
              }
            };
            waiting.add(check);
            check();
          }),
        kill9: () => {
          child.kill('SIGKILL');
          return exited(child);
        },
        stop: () => {
          child.kill('SIGTERM');
          return exited(child);
        },
      });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      ready();
      waiting.forEach((check) => check());
    });
    child.once('close', () => {
      closed = true;
      waiting.forEach((check) => check());
    });
  });
}
