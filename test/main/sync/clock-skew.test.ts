/**
 * A workstation clock that is set wrong and then corrected, against the reference service as its
 * own process (which keeps the true time) and the real sync engine: nine hours ahead, two hours
 * behind, a year ahead across a restart of the app. Each run keeps the session, delivers every
 * revision once with no hole in any history, and the sync status says how far the clock is off
 * while it is, and nothing once it is corrected.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/domain/sync';
import { totpCode, TOTP_PERIOD_S } from '../../../service/auth';
import { DEMO_REVIEWER } from '../../../service/seed';
import type { ClockSources } from '../../../main/services/trusted-clock';
import { makeServices, queryDb, type ServicesEnv } from '../../support/services';
import {
  prepareServiceStore,
  reviewerCredentials,
  startServiceProcess,
  type ServiceProcess,
} from '../../support/service-process';
import { recordingTimers, settled, TEST_POLL_MS } from '../../support/sync-driver';
import { makeTempDir } from '../../support/temp-dir';
import { testClipId } from '../../support/ids';

const BATCH = 'b-AAAAAAAAAAAA0001';
const CLIPS = 12;
const HOUR_MS = 3_600_000;
const YEAR_MS = 365 * 24 * HOUR_MS;
const clipId = (i: number): string => testClipId(i, 4);

/** The system's clocks with the wall clock set `skewMs` off, as a reviewer changing it would. */
function skewedClock(): ClockSources & { set(skewMs: number): void } {
  let skew = 0;
  return { wall: () => Date.now() + skew, monotonic: () => performance.now(), set: (ms) => (skew = ms) };
}

type Run = {
  readonly storeDir: string;
  readonly env: ServicesEnv;
  readonly proc: ServiceProcess;
  readonly clock: ReturnType<typeof skewedClock>;
  readonly latest: Map<string, { revision: number; opId: string }>;
};

let run: Run | undefined;
let tmp: ReturnType<typeof makeTempDir> | undefined;

afterEach(async () => {
  if (run) {
    run.env.dispose();
    await run.proc.kill9();
    run = undefined;
  }
  tmp?.remove();
  tmp = undefined;
});

async function setUp(): Promise<Run> {
  tmp = makeTempDir('earmark-clock-');
  const storeDir = join(tmp.dir, 'service');
  mkdirSync(storeDir);
  const [code] = await prepareServiceStore(storeDir, BATCH, CLIPS);
  const proc = await startServiceProcess(storeDir);
  const clock = skewedClock();
  const env = makeServices({
    clock,
    serviceUrl: proc.url,
    sync: { timers: recordingTimers(), pollIntervalMs: TEST_POLL_MS },
  });
  run = { storeDir, env, proc, clock, latest: new Map() };
  await env.services.sync.signIn(reviewerCredentials(code ?? ''));
  await env.services.sync.syncNow();
  expect(env.services.vault.listClips(BATCH)).toHaveLength(CLIPS);
  return run;
}

/**
 * Closes the app and starts it again: the reviewer unlocks it with their password and, as the
 * session lives in memory only, signs in again (with the next one-time code: each works once).
 */
async function restart(r: Run): Promise<void> {
  const services = r.env.reopen();
  await services.lock.unlock(DEMO_REVIEWER.password);
  await services.sync.signIn({
    account: DEMO_REVIEWER.account,
    password: DEMO_REVIEWER.password,
    totp: totpCode(DEMO_REVIEWER.totpSecret, Date.now() + TOTP_PERIOD_S * 1000),
  });
}

/** Saves the next revision of each clip in `clips`, then syncs. */
async function reviewAndSync(r: Run, clips: readonly number[]): Promise<SyncStatus> {
  for (const i of clips) {
    const id = clipId(i);
    const based = r.latest.get(id)?.revision ?? 0;
    const a = r.env.services.annotations.submit({
      batchId: BATCH,
      clipId: id,
      basedOnRevision: based,
      disposition: 'transcribed',
      body: { transcript: `revision ${based + 1} of clip ${i}`, critical: [], entities: [] },
    });
    r.latest.set(id, { revision: a.revision, opId: a.opId });
  }
  await r.env.services.sync.syncNow();
  return settled(r.env.services, (s) => s.pending === 0, { limitMs: 60_000 });
}

function serviceQuery<T>(r: Run, sql: string): T[] {
  const db = new Database(join(r.storeDir, 'service.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], T>(sql).all();
  } finally {
    db.close();
  }
}

/** Every revision saved here is on the service once, in order, and nothing waits or is parked. */
function expectComplete(r: Run): void {
  const held = serviceQuery<{ clip_id: string; revisions: string; n: number; ops: number }>(
    r,
    `SELECT clip_id, group_concat(revision, ',') AS revisions, count(*) AS n, count(DISTINCT op_id) AS ops
     FROM (SELECT * FROM annotation_revisions WHERE batch_id = '${BATCH}' ORDER BY clip_id, revision) GROUP BY clip_id`,
  );
  const expected = [...r.latest.entries()].sort(([a], [b]) => a.localeCompare(b));
  expect(held.map((x) => [x.clip_id, x.revisions, x.n === x.ops])).toEqual(
    expected.map(([id, l]) => [id, Array.from({ length: l.revision }, (_, k) => k + 1).join(','), true]),
  );
  expect(queryDb(r.env.dataDir, "SELECT count(*) AS n FROM outbox WHERE state <> 'acked'")).toEqual([{ n: 0 }]);
}

/** What a reviewer reads: online, nothing waiting or needing attention, and the clock's skew. */
const panel = (s: SyncStatus) => ({
  connection: s.connection,
  pending: s.pending,
  needsAttention: s.needsAttention.length,
  skewed: s.clockSkewMs === null ? null : Math.round(s.clockSkewMs / HOUR_MS),
});

describe('a workstation clock set wrong, then corrected', { timeout: 120_000 }, () => {
  it.each([
    ['nine hours ahead', 9 * HOUR_MS, 9],
    ['two hours behind', -2 * HOUR_MS, -2],
  ])('%s: the session holds, work goes up, and the panel tells the truth', async (_name, skewMs, hours) => {
    const r = await setUp();
    expect(panel(await reviewAndSync(r, [0, 1, 2]))).toEqual({
      connection: 'online',
      pending: 0,
      needsAttention: 0,
      skewed: null,
    });

    r.clock.set(skewMs);
    expect(panel(await reviewAndSync(r, [3, 4, 0]))).toEqual({
      connection: 'online',
      pending: 0,
      needsAttention: 0,
      skewed: hours,
    });

    r.clock.set(0);
    expect(panel(await reviewAndSync(r, [5, 1]))).toEqual({
      connection: 'online',
      pending: 0,
      needsAttention: 0,
      skewed: null,
    });
    expectComplete(r);
  });

  it('a year ahead, then corrected and restarted: nothing is carried forward, and sync goes on', async () => {
    const r = await setUp();
    await reviewAndSync(r, [0, 1]);

    r.clock.set(YEAR_MS);
    expect(panel(await reviewAndSync(r, [2, 0]))).toEqual({
      connection: 'online',
      pending: 0,
      needsAttention: 0,
      skewed: 365 * 24,
    });

    // A trusted clock raised to the year-ahead time would now expire the session and the batch.
    r.clock.set(0);
    await restart(r);
    expect(panel(await reviewAndSync(r, [3, 1]))).toEqual({
      connection: 'online',
      pending: 0,
      needsAttention: 0,
      skewed: null,
    });
    expect(r.env.services.vault.listClips(BATCH)).toHaveLength(CLIPS);
    expectComplete(r);
  });
});
