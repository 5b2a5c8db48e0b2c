/**
 * The fault suite's scenarios, for any service that plays the store's fault switch (one process in
 * this one, or several on one database behind a proxy): a scripted reviewer submits 300
 * annotations and amends some of them while the real sender drains to the service. Afterwards the
 * service holds one current row per clip at the clip's latest revision, every revision exactly
 * once and none missing below it: nothing lost, nothing duplicated.
 */
import { expect } from 'vitest';
import type { FaultRequest } from '../../shared/sync/messages';
import type { ServiceStore } from '../../service/store/repositories';
import { makeServices, queryDb, type ServicesEnv } from './services';
import {
  allDelivered,
  recordingTimers,
  settled,
  TEST_POLL_MS,
  yieldToSender,
  type RecordingTimers,
} from './sync-driver';

/** Clips in the batch each scenario reviews. */
export const FAULT_SUITE_CLIPS = 300;

/** Clip i gets revision 2 when i % 3 === 0 and revision 3 when i % 10 === 0: 300 + 100 + 30 revisions. */
const amendmentsOf = (i: number): number => (i % 3 === 0 ? 1 : 0) + (i % 10 === 0 ? 1 : 0);
const TOTAL_REVISIONS = Array.from({ length: FAULT_SUITE_CLIPS }, (_, i) => 1 + amendmentsOf(i)).reduce(
  (a, b) => a + b,
  0,
);

/** The service a scenario runs against, as the workstation and the checks see it. */
export type FaultSuiteService = {
  /** Where the workstation sends its requests. */
  readonly url: string;
  /** One line per request answered during the scenario: `METHOD PATH STATUS`. */
  readonly requests: readonly string[];
  /** Sign-in details of the reviewer the batch is assigned to, with a code not used yet. */
  credentials(): { account: string; password: string; totp: string; enrolmentCode: string };
  /** The store the service writes to, read directly. */
  readonly store: ServiceStore;
  /** Runs one statement on that store (`?` placeholders), on a connection of its own. */
  query<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Sets the fault switch every process of the service plays. */
  setFault(request: FaultRequest): Promise<unknown>;
};

/** One scenario in progress: the service, the workstation and the waits its sender asked for. */
export type FaultRun = { readonly svc: FaultSuiteService; readonly env: ServicesEnv; readonly timers: RecordingTimers };

/** A workstation signed in to `svc`, its batches checked out, its sender started. */
export async function startFaultRun(svc: FaultSuiteService): Promise<FaultRun> {
  const timers = recordingTimers();
  let seed = 7;
  const random = (): number => {
    seed = (seed * 48_271) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const env = makeServices({ serviceUrl: svc.url, sync: { timers, random, pollIntervalMs: TEST_POLL_MS } });
  try {
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    env.services.sync.start();
  } catch (error) {
    env.dispose();
    throw error;
  }
  return { svc, env, timers };
}

/** Stops the workstation's sender and removes its data. */
export async function stopFaultRun(run: FaultRun): Promise<void> {
  await run.env.services.sync.stop();
  run.env.dispose();
}

/**
 * Sets the fault `request`, reviews every clip of `batchId` (300, each once, then the amendments),
 * waits until the sender has delivered everything (signing in again when asked) and checks the
 * service holds it exactly once. `limitMs` ends a drain that never settles.
 */
export async function playFaultScenario(
  run: FaultRun,
  batchId: string,
  request: FaultRequest,
  o: { readonly limitMs?: number } = {},
): Promise<void> {
  const { env, svc } = run;
  const clipIds = env.services.vault.listClips(batchId).map((c) => c.id);
  expect(clipIds).toHaveLength(FAULT_SUITE_CLIPS);
  await svc.setFault(request);
  const latest = await reviewBatch(env, batchId, clipIds);
  env.services.sync.kick();
  await settled(env.services, allDelivered, {
    onSignIn: () => env.services.sync.signIn(svc.credentials()),
    ...(o.limitMs !== undefined ? { limitMs: o.limitMs } : {}),
  });
  await expectExactlyOnce(run, batchId, latest);
}

type Latest = Map<string, { revision: number; opId: string }>;

const body = (text: string) => ({ transcript: text, critical: [], entities: [] });

/** Submits every clip once, then the amendments, yielding to the sender every few saves. */
async function reviewBatch(env: ServicesEnv, batchId: string, clipIds: readonly string[]): Promise<Latest> {
  const latest: Latest = new Map();
  const save = (clipId: string, text: string): void => {
    const based = latest.get(clipId)?.revision ?? 0;
    const a = env.services.annotations.submit({
      batchId,
      clipId,
      basedOnRevision: based,
      disposition: 'transcribed',
      body: body(text),
    });
    latest.set(clipId, { revision: a.revision, opId: a.opId });
  };
  let n = 0;
  for (const [i, clipId] of clipIds.entries()) {
    save(clipId, `first pass ${i}`);
    if (++n % 10 === 0) {
      await yieldToSender();
    }
  }
  for (let round = 1; round <= 2; round += 1) {
    for (const [i, clipId] of clipIds.entries()) {
      if (amendmentsOf(i) >= round) {
        save(clipId, `amendment ${round} of ${i}`);
        if (++n % 10 === 0) {
          await yieldToSender();
        }
      }
    }
  }
  return latest;
}

async function expectExactlyOnce({ svc, env }: FaultRun, batchId: string, latest: Latest): Promise<void> {
  const current = await svc.store.ops.current(batchId);
  expect(current).toHaveLength(FAULT_SUITE_CLIPS);
  const mismatched = current.filter((c) => {
    const mine = latest.get(c.clipId);
    return !mine || mine.revision !== c.revision || mine.opId !== c.opId;
  });
  expect(mismatched).toEqual([]);
  const revisions = await svc.query(
    'SELECT count(*) AS n, count(DISTINCT op_id) AS ops FROM annotation_revisions WHERE batch_id = ?',
    batchId,
  );
  expect(revisions).toEqual([{ n: TOTAL_REVISIONS, ops: TOTAL_REVISIONS }]);
  // No hole in any clip's history: its revisions are 1, 2, … up to its latest, each once.
  const histories = await svc.query<{ clip_id: string; n: number; low: number; high: number }>(
    `SELECT clip_id, count(*) AS n, min(revision) AS low, max(revision) AS high
     FROM annotation_revisions WHERE batch_id = ? GROUP BY clip_id`,
    batchId,
  );
  expect(histories).toHaveLength(FAULT_SUITE_CLIPS);
  expect(histories.filter((h) => h.low !== 1 || h.n !== h.high || latest.get(h.clip_id)?.revision !== h.high)).toEqual(
    [],
  );
  expect(
    queryDb(env.dataDir, "SELECT state, count(*) AS n FROM outbox WHERE kind = 'annotation' GROUP BY state"),
  ).toEqual([{ state: 'acked', n: TOTAL_REVISIONS }]);
  // A fault is not a loss: the service never held less than it acknowledged.
  expect(env.services.sync.status().recovery).toEqual({ state: 'none', resent: 0, unrecoverable: 0, at: null });
}

/** Every fault the service plays, with what proves the sender met it. */
export const faultScenarios: readonly { name: string; request: FaultRequest; proof: (run: FaultRun) => void }[] = [
  {
    name: 'no fault',
    request: { fault: 'none' },
    proof: ({ timers }) => expect(timers.delays.filter((d) => d < TEST_POLL_MS && d > 0)).toEqual([]),
  },
  {
    name: '500 after committing',
    request: { fault: 'error_after_commit', every: 3 },
    proof: ({ svc, timers }) => {
      expect(svc.requests.some((l) => l.startsWith('POST /v1/annotations 500'))).toBe(true);
      expect(timers.delays.some((d) => d > 0 && d < TEST_POLL_MS)).toBe(true);
    },
  },
  {
    name: 'connection dropped after committing',
    request: { fault: 'drop_after_commit', every: 3 },
    proof: ({ timers }) => expect(timers.delays.some((d) => d > 0 && d < TEST_POLL_MS)).toBe(true),
  },
  {
    name: 'delayed answers',
    request: { fault: 'delay', delayMs: 3 },
    proof: ({ svc }) => expect(svc.requests.length).toBeGreaterThan(3),
  },
  {
    name: '429 with Retry-After',
    request: { fault: 'rate_limit', retryAfterSeconds: 2, every: 3 },
    proof: ({ svc, timers }) => {
      expect(svc.requests.some((l) => / 429$/.test(l))).toBe(true);
      // The sender waited exactly what the service asked for.
      expect(timers.delays).toContain(2_000);
    },
  },
  {
    name: 'token expired in the middle of a drain',
    request: { fault: 'expire_token', afterOps: 150 },
    proof: ({ svc }) => expect(svc.requests.filter((l) => l.startsWith('POST /v1/sessions 201'))).toHaveLength(2),
  },
];
