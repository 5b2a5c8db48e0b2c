/**
 * Sync throughput: 1,000 saved annotations drained by the real sender to the reference service
 * on loopback, beside two floors measured in the same run on the same bodies — bare HTTP round
 * trips (a server that reads each body and answers at once), and the service itself taking the
 * prebuilt bulk requests (its transaction and dedupe included, no client work).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServices } from '../main/services';
import { toAnnotationOp } from '../shared/sync/outgoing';
import { MAX_OPS_PER_REQUEST } from '../shared/sync/protocol';
import { startTestService } from '../test/support/reference-service';
import { makeTempDir } from '../test/support/temp-dir';
import { testKeyStore } from '../test/support/test-safe-storage';
import { quietLogger } from './quiet-logger';
import { median, round } from './stats';

export type SyncBench = {
  readonly sync_annotations: number;
  /** Annotations per second, saved to acknowledged, through the real sender. */
  readonly sync_annotations_s: number;
  /** Seconds the whole drain took. */
  readonly sync_seconds: number;
  /** Annotations per second the service alone takes, and bare HTTP round trips of the same bodies. */
  readonly sync_floor_service_annotations_s: number;
  readonly sync_floor_http_annotations_s: number;
  /** sync_annotations_s ÷ sync_floor_service_annotations_s. */
  readonly sync_ratio: number;
};

const body = (i: number) => ({
  transcript: `benchmark transcript number ${i} with a few more words`,
  critical: [],
  entities: [],
});

/** Bare round trips: read the body, answer a fixed small JSON. */
async function httpFloorMs(bodies: readonly string[]): Promise<number> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"results":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/annotations`;
  const start = performance.now();
  for (const b of bodies) {
    await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b })).text();
  }
  const ms = performance.now() - start;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return ms;
}

type Round = { readonly syncMs: number; readonly bodies: readonly string[] };

async function oneRound(count: number): Promise<Round> {
  const svc = await startTestService();
  const tmp = makeTempDir('earmark-bench-sync-');
  const services = createServices({
    dataDir: tmp.dir,
    appVersion: 'bench',
    logger: quietLogger,
    keyStore: testKeyStore(tmp.dir),
    serviceUrl: svc.url,
  });
  try {
    const clips = await svc.addBatch('b-bench-sync', count);
    await services.sync.signIn(svc.credentials());
    await services.sync.syncNow();
    // Saved while offline (the sender is not started), then drained in one go.
    const saved = clips.map((clipId, i) =>
      services.annotations.submit({
        batchId: 'b-bench-sync',
        clipId,
        basedOnRevision: 0,
        disposition: 'transcribed',
        body: body(i),
      }),
    );
    const start = performance.now();
    const status = await services.sync.syncNow();
    const syncMs = performance.now() - start;
    if (status.pending !== 0 || (await svc.service.core.store.ops.current('b-bench-sync')).length !== count) {
      throw new Error(`sync bench: not everything arrived (${status.pending} pending).`);
    }
    // Every clip's first revision: nothing to amend.
    const ops = saved.map((a) => toAnnotationOp(a, { baseOpId: null }));
    const bodies: string[] = [];
    for (let i = 0; i < ops.length; i += MAX_OPS_PER_REQUEST) {
      bodies.push(JSON.stringify({ ops: ops.slice(i, i + MAX_OPS_PER_REQUEST) }));
    }
    return { syncMs, bodies };
  } finally {
    services.close();
    tmp.remove();
    await svc.stop();
  }
}

/** The service alone taking the same bulk requests (a fresh service, so every op is new). */
async function serviceFloorMs(bodies: readonly string[]): Promise<number> {
  const svc = await startTestService();
  try {
    await svc.addBatch('b-bench-sync', bodies.length * MAX_OPS_PER_REQUEST);
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(svc.credentials()),
    });
    const { token } = (await r.json()) as { token: string };
    const start = performance.now();
    for (const b of bodies) {
      const answer = await fetch(`${svc.url}/v1/annotations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: b,
      });
      await answer.text();
    }
    return performance.now() - start;
  } finally {
    await svc.stop();
  }
}

export async function runSyncBench(count = 1000, rounds = 3): Promise<SyncBench> {
  const sync: number[] = [];
  const http: number[] = [];
  const service: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const { syncMs, bodies } = await oneRound(count);
    sync.push(syncMs);
    http.push(await httpFloorMs(bodies));
    service.push(await serviceFloorMs(bodies));
  }
  const s = median(sync) / 1000;
  const floor = median(service) / 1000;
  return {
    sync_annotations: count,
    sync_annotations_s: round(count / s, 0),
    sync_seconds: round(s),
    sync_floor_service_annotations_s: round(count / floor, 0),
    sync_floor_http_annotations_s: round(count / (median(http) / 1000), 0),
    sync_ratio: round(floor / s, 2),
  };
}
