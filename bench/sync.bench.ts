/**
 * Sync throughput: 1,000 saved annotations drained by the real sender to the reference service
 * on loopback, beside two floors measured in the same run on the same bodies — bare HTTP round
 * trips (a server that reads each body and answers at once), and the service itself taking the
 * prebuilt bulk requests (its transaction and dedupe included, no client work).
 *
 * What `sync_seconds` measures is what a reviewer pressing "sync now" waits for: the whole cycle,
 * from the call until it resolves — batch status (with its signed service time), the loss check,
 * the annotations, the timing rows of those 1,000 submits, the purge and the audit events that
 * follow. Nothing is left running after it. The service floor has only the annotation uploads, so
 * `sync_ratio` charges the client for every other step of its cycle.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Annotation } from '../shared/domain/annotation';
import type { SyncStatus } from '../shared/domain/sync';
import { createServices, type ServiceOptions, type Services } from '../main/services';
import { DEFAULT_BACKOFF_BASE_MS } from '../main/services/sync/backoff';
import { toAnnotationOp } from '../shared/sync/outgoing';
import { MAX_OPS_PER_REQUEST } from '../shared/sync/protocol';
import { startTestService, type TestService } from '../test/support/reference-service';
import { allDelivered, recordingTimers, settled, TEST_POLL_MS } from '../test/support/sync-driver';
import { makeTempDir } from '../test/support/temp-dir';
import { testKeyStore } from '../test/support/test-safe-storage';
import { quietLogger } from './quiet-logger';
import { collectGarbage, median, round } from './stats';
import { deviceEnrolment } from '../main/services/sync/sync-steps';

export type SyncBench = {
  readonly sync_annotations: number;
  /** Annotations per second, saved to acknowledged, through the real sender. */
  readonly sync_annotations_s: number;
  /** Seconds the whole cycle took: from "sync now" until it resolved, timing rows and purge included. */
  readonly sync_seconds: number;
  /** Annotations per second the service alone takes, and bare HTTP round trips of the same bodies. */
  readonly sync_floor_service_annotations_s: number;
  readonly sync_floor_http_annotations_s: number;
  /** sync_annotations_s ÷ sync_floor_service_annotations_s. */
  readonly sync_ratio: number;
  /** Seconds from the start of the drain until its last annotation was acknowledged (before timing rows and purge). */
  readonly sync_ack_seconds: number;
  /** The service floor's seconds ÷ sync_ack_seconds: the sender's own overhead on the annotations alone. */
  readonly sync_ack_ratio: number;
  /** The same drain by the started sender with one upload in five failing, its waits skipped. */
  readonly sync_faulty_seconds: number;
  /** Uploads the service failed in that drain. */
  readonly sync_faulty_failures: number;
  /** What the sender waited in all over that drain (recorded, not slept). */
  readonly sync_wait_seconds: number;
  /** The most it may wait: failures × the backoff's base ceiling (the bench fails above it). */
  readonly sync_wait_bound_seconds: number;
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

type Round = {
  readonly syncMs: number;
  /** From the start of the drain until the last annotation was acknowledged (timing rows and purge follow). */
  readonly ackMs: number;
  readonly bodies: readonly string[];
};

type Prepared = {
  readonly svc: TestService;
  readonly services: Services;
  readonly saved: readonly Annotation[];
  close(): Promise<void>;
};

/** A signed-in workstation holding `count` saved annotations not sent yet (the sender is not started). */
async function prepare(count: number, sync?: ServiceOptions['sync']): Promise<Prepared> {
  // A clock that runs, as a deployed service's does. One standing still, as the tests keep it,
  // would look to the workstation like its own clock drifting from service time by the seconds
  // the submits took, and it would save its trusted clock (a synced write) on every cycle.
  const svc = await startTestService({ running: true });
  const tmp = makeTempDir('earmark-bench-sync-');
  const services = createServices({
    dataDir: tmp.dir,
    appVersion: 'bench',
    logger: quietLogger,
    keyStore: testKeyStore(tmp.dir),
    serviceUrl: svc.url,
    ...(sync ? { sync } : {}),
  });
  const close = async (): Promise<void> => {
    services.close();
    tmp.remove();
    await svc.stop();
  };
  try {
    const clips = await svc.addBatch('b-AAAAAAABENCHSYNC', count);
    await services.sync.signIn(svc.credentials());
    await services.sync.syncNow();
    const saved = clips.map((clipId, i) =>
      services.annotations.submit({
        batchId: 'b-AAAAAAABENCHSYNC',
        clipId,
        basedOnRevision: 0,
        disposition: 'transcribed',
        body: body(i),
      }),
    );
    return { svc, services, saved, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function checkArrived(p: Prepared, count: number): Promise<void> {
  const pending = p.services.sync.status().pending;
  if (pending !== 0 || (await p.svc.service.core.store.ops.current('b-AAAAAAABENCHSYNC')).length !== count) {
    throw new Error(`sync bench: not everything arrived (${pending} pending).`);
  }
}

async function oneRound(count: number): Promise<Round> {
  const p = await prepare(count);
  try {
    let ackMs = Number.NaN;
    collectGarbage();
    const start = performance.now();
    const off = p.services.events.subscribe((event, payload) => {
      if (event === 'sync:changed' && (payload as SyncStatus).pending === 0 && Number.isNaN(ackMs)) {
        ackMs = performance.now() - start;
      }
    });
    await p.services.sync.syncNow();
    const syncMs = performance.now() - start;
    off();
    await checkArrived(p, count);
    // Every clip's first revision: nothing to amend.
    const ops = p.saved.map((a) => toAnnotationOp(a, { baseOpId: null }));
    const bodies: string[] = [];
    for (let i = 0; i < ops.length; i += MAX_OPS_PER_REQUEST) {
      bodies.push(JSON.stringify({ ops: ops.slice(i, i + MAX_OPS_PER_REQUEST) }));
    }
    return { syncMs, ackMs, bodies };
  } finally {
    await p.close();
  }
}

/** One upload in this many fails (a 500 after the service committed it). */
const FAULT_EVERY = 5;

type FaultyRound = { readonly ms: number; readonly waitMs: number; readonly failures: number };

/**
 * The same drain by the started sender with one upload in five failing. Its waits are recorded
 * and skipped (they fire at once), so `ms` is the work and `waitMs` what a reviewer would wait.
 */
async function faultyRound(count: number): Promise<FaultyRound> {
  const timers = recordingTimers();
  const p = await prepare(count, { timers, pollIntervalMs: TEST_POLL_MS });
  try {
    await p.svc.service.core.faults.set({ fault: 'error_after_commit', every: FAULT_EVERY });
    const start = performance.now();
    p.services.sync.start();
    await settled(p.services, allDelivered, { limitMs: 300_000 });
    const ms = performance.now() - start;
    await p.services.sync.stop();
    await checkArrived(p, count);
    return {
      ms,
      waitMs: timers.delays.filter((d) => d > 0 && d < TEST_POLL_MS).reduce((a, b) => a + b, 0),
      failures: p.svc.requests.filter((line) => / 5\d\d$/.test(line)).length,
    };
  } finally {
    await p.close();
  }
}

/** The service alone taking the same bulk requests (a fresh service, so every op is new). */
async function serviceFloorMs(bodies: readonly string[], count: number): Promise<number> {
  const svc = await startTestService({ running: true });
  try {
    await svc.addBatch('b-AAAAAAABENCHSYNC', bodies.length * MAX_OPS_PER_REQUEST);
    // The service opens a session only for a signed device challenge: an unsigned body would
    // leave every upload below a fast 401, and the floor would measure refusals.
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody()),
    });
    if (!r.ok) {
      throw new Error(`sync bench: the service floor could not sign in (${r.status}).`);
    }
    const { token } = (await r.json()) as { token: string };
    // Uploads are taken only from an approved device: enrol the signing key with an enrolment code.
    const enrolled = await fetch(`${svc.url}/v1/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(deviceEnrolment(svc.device, svc.enrolmentCode())),
    });
    if (!enrolled.ok) {
      throw new Error(`sync bench: the service floor could not enrol its device (${enrolled.status}).`);
    }
    collectGarbage();
    const start = performance.now();
    for (const b of bodies) {
      const answer = await fetch(`${svc.url}/v1/annotations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: b,
      });
      await answer.text();
      if (!answer.ok) {
        throw new Error(`sync bench: the service floor's upload was refused (${answer.status}).`);
      }
    }
    const ms = performance.now() - start;
    const stored = (await svc.service.core.store.ops.current('b-AAAAAAABENCHSYNC')).length;
    if (stored !== count) {
      throw new Error(`sync bench: the service floor stored ${stored} ops.`);
    }
    return ms;
  } finally {
    await svc.stop();
  }
}

export async function runSyncBench(count = 1000, rounds = 5): Promise<SyncBench> {
  const sync: number[] = [];
  const ack: number[] = [];
  const http: number[] = [];
  const service: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const { syncMs, ackMs, bodies } = await oneRound(count);
    sync.push(syncMs);
    ack.push(ackMs);
    http.push(await httpFloorMs(bodies));
    service.push(await serviceFloorMs(bodies, count));
  }
  const faulty = await faultyRound(count);
  const boundMs = faulty.failures * DEFAULT_BACKOFF_BASE_MS;
  if (faulty.waitMs > boundMs) {
    throw new Error(
      `sync bench: the sender waited ${faulty.waitMs} ms for ${faulty.failures} failures, over ${boundMs} ms (failures × base ceiling).`,
    );
  }
  const s = median(sync) / 1000;
  const acked = median(ack) / 1000;
  const floor = median(service) / 1000;
  return {
    sync_annotations: count,
    sync_annotations_s: round(count / s, 0),
    sync_seconds: round(s),
    sync_ack_seconds: round(acked),
    sync_floor_service_annotations_s: round(count / floor, 0),
    sync_floor_http_annotations_s: round(count / (median(http) / 1000), 0),
    sync_ratio: round(floor / s, 2),
    sync_ack_ratio: round(floor / acked, 2),
    sync_faulty_seconds: round(faulty.ms / 1000),
    sync_faulty_failures: faulty.failures,
    sync_wait_seconds: round(faulty.waitMs / 1000),
    sync_wait_bound_seconds: round(boundMs / 1000),
  };
}
