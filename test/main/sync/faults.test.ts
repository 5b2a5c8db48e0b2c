/**
 * Exactly-once delivery under every fault the reference service can inject: a scripted reviewer
 * submits 300 annotations and amends some of them while the real sender drains to the real
 * service on loopback. Afterwards the service holds one current row per clip at the clip's
 * latest revision: nothing lost, nothing duplicated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRequest } from '../../../shared/sync/messages';
import { makeServices, queryDb, type ServicesEnv } from '../../support/services';
import { startTestService, type TestService } from '../../support/reference-service';
import {
  allDelivered,
  recordingTimers,
  settled,
  TEST_POLL_MS,
  yieldToSender,
  type RecordingTimers,
} from '../../support/sync-driver';

const CLIPS = 300;
const BATCH = 'b-AAAAAAAAFAV1T300';

/** Clip i gets revision 2 when i % 3 === 0 and revision 3 when i % 10 === 0: 300 + 100 + 30 revisions. */
const amendmentsOf = (i: number): number => (i % 3 === 0 ? 1 : 0) + (i % 10 === 0 ? 1 : 0);
const TOTAL_REVISIONS = Array.from({ length: CLIPS }, (_, i) => 1 + amendmentsOf(i)).reduce((a, b) => a + b, 0);

const body = (text: string) => ({ transcript: text, critical: [], entities: [] });

type Run = { svc: TestService; env: ServicesEnv; timers: RecordingTimers };

async function setUp(): Promise<Run> {
  const svc = await startTestService();
  await svc.addBatch(BATCH, CLIPS);
  const timers = recordingTimers();
  let seed = 7;
  const random = (): number => {
    seed = (seed * 48_271) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const env = makeServices({ serviceUrl: svc.url, sync: { timers, random, pollIntervalMs: TEST_POLL_MS } });
  await env.services.sync.signIn(svc.credentials());
  await env.services.sync.syncNow();
  env.services.sync.start();
  return { svc, env, timers };
}

/** Submits every clip once, then the amendments, yielding to the sender every few saves. */
async function reviewBatch(
  { env }: Run,
  clipIds: readonly string[],
): Promise<Map<string, { revision: number; opId: string }>> {
  const latest = new Map<string, { revision: number; opId: string }>();
  const save = (clipId: string, text: string): void => {
    const based = latest.get(clipId)?.revision ?? 0;
    const a = env.services.annotations.submit({
      batchId: BATCH,
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

async function expectExactlyOnce(
  { svc, env }: Run,
  latest: Map<string, { revision: number; opId: string }>,
): Promise<void> {
  const current = await svc.service.core.store.ops.current(BATCH);
  expect(current).toHaveLength(CLIPS);
  const mismatched = current.filter((c) => {
    const mine = latest.get(c.clipId);
    return !mine || mine.revision !== c.revision || mine.opId !== c.opId;
  });
  expect(mismatched).toEqual([]);
  const revisions = await svc.query(
    'SELECT count(*) AS n, count(DISTINCT op_id) AS ops FROM annotation_revisions WHERE batch_id = ?',
    BATCH,
  );
  expect(revisions).toEqual([{ n: TOTAL_REVISIONS, ops: TOTAL_REVISIONS }]);
  expect(
    queryDb(env.dataDir, "SELECT state, count(*) AS n FROM outbox WHERE kind = 'annotation' GROUP BY state"),
  ).toEqual([{ state: 'acked', n: TOTAL_REVISIONS }]);
  // A fault is not a loss: the service never held less than it acknowledged.
  expect(env.services.sync.status().recovery).toEqual({ state: 'none', resent: 0, unrecoverable: 0, at: null });
}

const faults: readonly { name: string; request: FaultRequest; proof: (run: Run) => void }[] = [
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

describe('exactly-once sync under faults', () => {
  let run: Run | undefined;
  afterEach(async () => {
    if (run) {
      await run.env.services.sync.stop();
      run.env.dispose();
      await run.svc.stop();
      run = undefined;
    }
  });

  it.each(faults)('delivers 300 annotations with amendments exactly once: $name', async ({ request, proof }) => {
    run = await setUp();
    const current = run;
    const clipIds = current.env.services.vault.listClips(BATCH).map((c) => c.id);
    expect(clipIds).toHaveLength(CLIPS);
    await current.svc.service.core.faults.set(request);

    const latest = await reviewBatch(current, clipIds);
    current.env.services.sync.kick();
    await settled(current.env.services, allDelivered, {
      onSignIn: () => current.env.services.sync.signIn(current.svc.credentials()),
    });

    await expectExactlyOnce(current, latest);
    proof(current);
  });
});
