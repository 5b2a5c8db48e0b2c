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
          stop: () => {
            child.kill('SIGTERM');
            return exited(child);
          },
        });
      }
    });
  });
}
