/**
 * Graceful shutdown over real HTTP: a slow request in flight (the `delay` fault) completes while
 * shutdown waits, readiness turns 503, and a new connection is refused; the same on SIGTERM to the
 * service process, which then exits cleanly.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceStore, StoreReadiness } from '../../service/store/repositories';
import { prepareServiceStore, startServiceProcess, type ServiceProcess } from '../support/service-process';
import { testBatchId } from '../support/ids';
import { startTestService, type TestService } from '../support/reference-service';
import { makeTempDir } from '../support/temp-dir';

const SLOW_MS = 3_000;

/** GET `path` on a connection of its own. */
function get(url: string, path: string): Promise<{ status: number; text: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          connection: res.headers.connection,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Whether a new TCP connection to the service is refused. */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** Waits until the service counts `n` requests in flight (the scrape asking included). */
async function untilInFlight(url: string, n: number): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const page = await get(url, '/metrics');
    if (page.text.includes(`\nearmark_http_requests_in_flight ${n}\n`)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never ${n} requests in flight`);
}

describe('graceful shutdown', () => {
  let svc: TestService | undefined;
  let proc: ServiceProcess | undefined;
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  afterEach(async () => {
    // Stopping again after a shutdown only removes the service's temporary folder.
    await svc?.stop();
    await proc?.kill9();
    tmp?.remove();
    svc = undefined;
    proc = undefined;
    tmp = undefined;
  });

  it('finishes a slow request in flight, answers readiness 503 and refuses new connections', async () => {
    // Readiness waits on the test, so a /readyz request is in flight when shutdown begins.
    let asked!: () => void;
    const readinessAsked = new Promise<void>((resolve) => (asked = resolve));
    let answer!: (r: StoreReadiness) => void;
    const readiness = new Promise<StoreReadiness>((resolve) => (answer = resolve));
    let closed = false;
    svc = await startTestService({
      wrapStore: (s): ServiceStore => ({
        ...s,
        readiness: () => {
          asked();
          return readiness;
        },
        close: async () => {
          await s.close();
          closed = true;
        },
      }),
    });
    await svc.service.core.faults.set({ fault: 'delay', delayMs: SLOW_MS });
    const slow = get(svc.url, '/v1/health');
    await untilInFlight(svc.url, 2);
    const ready = get(svc.url, '/readyz');
    await readinessAsked;

    const stopped = svc.service.shutdown(60_000);
    expect(await refused(svc.url)).toBe(true);
    answer({ ok: true, schema: 1, expected: 1 });
    expect(await ready).toMatchObject({ status: 503, text: '{"ok":false,"reason":"shutting_down"}' });
    const done = await slow;
    expect([done.status, done.text, done.connection]).toEqual([200, '{"ok":true}', 'close']);
    expect(await stopped).toEqual({ dropped: 0 });
    expect(closed).toBe(true);
  });

  it('drops what is still running when the grace period ends', async () => {
    svc = await startTestService();
    await svc.service.core.faults.set({ fault: 'delay', delayMs: 60_000 });
    const slow = get(svc.url, '/v1/health').then(
      () => 'answered',
      () => 'dropped',
    );
    await untilInFlight(svc.url, 2);
    expect(await svc.service.shutdown(0)).toEqual({ dropped: 1 });
    expect(await slow).toBe('dropped');
  });

  it('on SIGTERM lets the slow request finish, refuses new connections, logs JSON lines and exits 0', async () => {
    tmp = makeTempDir('earmark-shutdown-');
    await prepareServiceStore(tmp.dir, testBatchId(51), 1);
    proc = await startServiceProcess(tmp.dir, 0, [
      ...['--fault', 'delay', '--delay-ms', String(SLOW_MS), '--log-format', 'json'],
    ]);
    const url = proc.url;
    const slow = get(url, '/v1/health');
    await untilInFlight(url, 2);
    proc.terminate();
    let closedToNew = false;
    for (let i = 0; i < 200 && !closedToNew; i += 1) {
      closedToNew = await refused(url);
    }
    expect(closedToNew).toBe(true);
    expect((await slow).status).toBe(200);
    expect(await proc.exited).toBe(0);
    // Standard output carried JSON log lines only, from listening to stopped (after the warning
    // about the demo reviewer the prepared store holds with its published secret).
    const log = proc
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log.map((e) => e['msg']).filter((m) => m !== 'request')).toEqual([
      'demo accounts enabled with their published secrets',
      'listening',
      'shutdown',
      'stopped',
    ]);
    expect(log.find((e) => e['route'] === '/v1/health')).toMatchObject({ status: 200 });
    expect(log.at(-1)).toMatchObject({ msg: 'stopped', dropped: 0 });
  });
});
