/**
 * The service under load as its own process, as `npm run service` runs it (tsx service/main.ts),
 * on a free loopback port, quiet, over the prepared store. Its CPU time is read from /proc, so
 * the report can say how the two cores were shared between the service and the load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const READY = /^Earmark reference service on (http:\/\/\S+) /m;
/** A service that has not said where it listens by then is stuck (tsx compiles it first). */
const START_LIMIT_MS = 60_000;

export type ServiceChild = {
  readonly url: string;
  /** User plus system CPU seconds the process has used; null where /proc is not there. */
  cpuSeconds(): number | null;
  /** Seconds it has waited for a core; see {@link processRunQueueSeconds}. */
  runQueueSeconds(): number | null;
  /** SIGTERM: the service closes its store and exits; resolves once it has. */
  stop(): Promise<void>;
};

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((done) => child.once('exit', () => done()));

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s). */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Seconds a process's main thread (its event loop) has waited on a run queue for a core (the
 * second field of /proc/PID/schedstat, in ns): how much of its latency is other work on the
 * machine. Null where /proc is not there.
 */
export function processRunQueueSeconds(pid: number | 'self'): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
    return Number(fields[1]) / 1e9;
  } catch {
    return null;
  }
}

export function startServiceChild(o: {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
  readonly serviceArgs: readonly string[];
}): Promise<ServiceChild> {
  const args = [
    '--import',
    'tsx',
    'service/main.ts',
    '--port',
    '0',
    '--data',
    o.dataDir,
    '--quiet',
    ...(o.databaseUrl !== undefined ? ['--database', o.databaseUrl] : []),
    ...o.serviceArgs,
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolveStart, rejectStart) => {
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      rejectStart(new Error(`The service did not start: ${stderr}`));
    }, START_LIMIT_MS);
    child.once('exit', (code) => {
      clearTimeout(limit);
      rejectStart(new Error(`The service exited (${String(code)}) before it listened: ${stderr}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = READY.exec(stdout);
      if (ready?.[1]) {
        clearTimeout(limit);
        child.removeAllListeners('exit');
        // Nothing more is read from it, but the pipe must not fill up.
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolveStart({
          url: ready[1],
          cpuSeconds: () => (child.pid === undefined ? null : processCpuSeconds(child.pid)),
          runQueueSeconds: () => (child.pid === undefined ? null : processRunQueueSeconds(child.pid)),
          stop: () => {
            child.kill('SIGTERM');
            return exited(child);
          },
        });
      }
    });
  });
}
