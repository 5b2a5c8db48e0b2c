/**
 * Losses noticed and repaired, against the reference service as its own process and the real
 * sync engine: the service killed with SIGKILL in the middle of a drain and restarted; an older
 * copy of its store put back, with and without the operator's restore notice. Each run ends with
 * nothing acknowledged lost, every revision stored once, no hole in any clip's history, and a
 * sync status that says what happened.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/domain/sync';
import type { SyncTimers } from '../../../main/services/sync.service';
import { runAdmin } from '../../../service/admin/cli';
import { totpCode, TOTP_PERIOD_S } from '../../../service/auth';
import { openSqliteServiceStore } from '../../../service/store/sqlite/service-store';
import { makeServices, queryDb, type ServicesEnv } from '../../support/services';
import {
  copyStore,
  prepareServiceStore,
  reviewerCredentials,
  startServiceProcess,
  type ServiceProcess,
} from '../../support/service-process';
import { settled, TEST_POLL_MS, yieldToSender } from '../../support/sync-driver';
import { makeTempDir } from '../../support/temp-dir';
import { testClipId } from '../../support/ids';

const BATCH = 'b-AAAAAAAA10SS0001';
/** Clips in the batch; the runs review at most {@link REVIEWED}, so it never completes (and is never purged). */
const CLIPS = 50;
const REVIEWED = 40;
const OPERATOR_PASSWORD = 'a long operator password';
const clipId = (i: number): string => testClipId(i, 4);

/**
 * Retries after a failure come on the next turns of the event loop, a little apart, so a
 * service that is down is not hammered while the test restarts it; healthy polls never fire.
 */
const retryTimers: SyncTimers = {
  setTimeout(callback, ms) {
    return ms < TEST_POLL_MS ? setTimeout(callback, Math.min(ms, 20)) : null;
  },
  clearTimeout(handle) {
    if (handle) {
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    }
  },
};

type Run = {
  readonly storeDir: string;
  readonly backupDir: string;
  readonly env: ServicesEnv;
  proc: ServiceProcess;
  port: number;
  readonly latest: Map<string, { revision: number; opId: string }>;
  readonly escalations: string[];
};

let run: Run | undefined;
let tmp: ReturnType<typeof makeTempDir> | undefined;
/** The operator who runs the restore notice in this test's store. */
let operator: { secret: string; uses: number } | undefined;

afterEach(async () => {
  if (run) {
    run.env.dispose();
    await run.proc.kill9();
    run = undefined;
  }
  tmp?.remove();
  tmp = undefined;
  operator = undefined;
});

async function setUp(args: readonly string[] = []): Promise<Run> {
  tmp = makeTempDir('earmark-loss-');
  const storeDir = join(tmp.dir, 'service');
  const backupDir = join(tmp.dir, 'backup');
  mkdirSync(storeDir);
  mkdirSync(backupDir);
  const [code] = await prepareServiceStore(storeDir, BATCH, CLIPS);
  const proc = await startServiceProcess(storeDir, 0, args);
  const env = makeServices({ serviceUrl: proc.url, sync: { timers: retryTimers, pollIntervalMs: TEST_POLL_MS } });
  run = {
    storeDir,
    backupDir,
    env,
    proc,
    port: Number(new URL(proc.url).port),
    latest: new Map(),
    escalations: [],
  };
  await env.services.sync.signIn(reviewerCredentials(code ?? ''));
  await env.services.sync.syncNow();
  expect(env.services.vault.listClips(BATCH)).toHaveLength(CLIPS);
  env.services.sync.start();
  return run;
}

/** Saves the next revision of clip `i`, as the reviewer would. */
function amend(r: Run, i: number): void {
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

function escalate(r: Run, i: number): void {
  const e = r.env.services.annotations.escalate({
    batchId: BATCH,
    clipId: clipId(i),
    category: 'other',
    note: `escalation ${r.escalations.length + 1}`,
  });
  r.escalations.push(e.id);
}

/** Saves one revision of each clip in `clips`, yielding to the sender every few saves. */
async function review(r: Run, clips: readonly number[]): Promise<void> {
  for (const [n, i] of clips.entries()) {
    amend(r, i);
    if (n % 5 === 4) {
      await yieldToSender();
    }
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);

const delivered = (s: SyncStatus): boolean =>
  s.pending === 0 && s.connection === 'online' && s.nextAttemptAt === null && s.recovery.state !== 'recovering';

const ackedOps = (r: Run): number =>
  queryDb<{ n: number }>(r.env.dataDir, "SELECT count(*) AS n FROM outbox WHERE state = 'acked'")[0]?.n ?? 0;

/** A read-only look at the service's file, on a connection of its own. */
function serviceQuery<T>(r: Run, sql: string): T[] {
  const db = new Database(join(r.storeDir, 'service.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], T>(sql).all();
  } finally {
    db.close();
  }
}

/** Stops the service cleanly (its store closed), runs `between`, and starts it again on the same port. */
async function restart(r: Run, between: () => Promise<void> | void = () => undefined): Promise<void> {
  await r.proc.stop();
  await between();
  r.proc = await startServiceProcess(r.storeDir, r.port);
}

/** Everything the workstation saved is on the service once, with no hole in any clip's history. */
function expectComplete(r: Run): void {
  const revisions = serviceQuery<{ clip_id: string; revisions: string; n: number; ops: number }>(
    r,
    `SELECT clip_id, group_concat(revision, ',') AS revisions, count(*) AS n, count(DISTINCT op_id) AS ops
     FROM (SELECT * FROM annotation_revisions WHERE batch_id = '${BATCH}' ORDER BY clip_id, revision) GROUP BY clip_id`,
  );
  const expected = [...r.latest.entries()].sort(([a], [b]) => a.localeCompare(b));
  expect(revisions.map((x) => [x.clip_id, x.revisions, x.n === x.ops])).toEqual(
    expected.map(([id, l]) => [id, range(1, l.revision + 1).join(','), true]),
  );
  const current = serviceQuery<{ clip_id: string; op_id: string }>(
    r,
    `SELECT clip_id, op_id FROM current_annotations WHERE batch_id = '${BATCH}' ORDER BY clip_id`,
  );
  expect(current).toEqual(expected.map(([id, l]) => ({ clip_id: id, op_id: l.opId })));
  const escalations = serviceQuery<{ op_id: string }>(r, "SELECT op_id FROM ops WHERE kind = 'escalation'");
  expect(escalations.map((e) => e.op_id).sort()).toEqual([...r.escalations].sort());
  // Every op the workstation was acknowledged is held by the service.
  const heldHere = queryDb<{ op_id: string }>(r.env.dataDir, "SELECT op_id FROM outbox WHERE state = 'acked'");
  const heldThere = new Set(serviceQuery<{ op_id: string }>(r, 'SELECT op_id FROM ops').map((o) => o.op_id));
  expect(heldHere.filter((o) => !heldThere.has(o.op_id))).toEqual([]);
  expect(queryDb(r.env.dataDir, "SELECT count(*) AS n FROM outbox WHERE state <> 'acked'")).toEqual([{ n: 0 }]);
}

const auditTypes = (r: Run): string[] =>
  serviceQuery<{ type: string }>(
    r,
    "SELECT json_extract(payload, '$.type') AS type FROM ops WHERE kind = 'audit' ORDER BY seq",
  ).map((a) => a.type);

/**
 * Runs `admin restore-notice` on the stopped service's store, as an operator bootstrapped on first
 * use; each later use takes the next one-time code, as an operator a little later would.
 */
async function restoreNotice(storeDir: string): Promise<void> {
  const out: string[] = [];
  const io = (env: NodeJS.ProcessEnv) => ({
    openStore: (dir: string) => openSqliteServiceStore(join(dir, 'service.db')),
    defaultDataDir: storeDir,
    env,
    prompt: () => Promise.reject(new Error('no terminal in tests')),
    out: (line: string) => out.push(line),
    err: (line: string) => out.push(line),
  });
  if (!operator) {
    expect(
      await runAdmin(['bootstrap', '--operator', 'olga'], io({ EARMARK_OPERATOR_PASSWORD: OPERATOR_PASSWORD })),
    ).toBe(0);
    operator = {
      secret: /secret=([A-Z2-7]+)/.exec(out.find((l) => l.includes('otpauth://')) ?? '')?.[1] ?? '',
      uses: 0,
    };
  }
  const totp = totpCode(operator.secret, Date.now() + operator.uses * TOTP_PERIOD_S * 1000);
  operator.uses += 1;
  const code = await runAdmin(
    ['--operator', 'olga', 'restore-notice'],
    io({ EARMARK_OPERATOR_PASSWORD: OPERATOR_PASSWORD, EARMARK_OPERATOR_TOTP: totp }),
  );
  expect([code, out.at(-1)]).toEqual([0, expect.stringMatching(/^service epoch changed/) as string]);
}

/**
 * Reviews the first clips, backs the store up, reviews N more revisions and escalations, then
 * puts the backup back (with the restore notice when asked) and saves three amendments on top of
 * revisions the service lost. Returns how many acknowledged ops the service lost.
 */
async function loseWorkToABackup(r: Run, withNotice: boolean): Promise<number> {
  await review(r, range(0, 15));
  escalate(r, 3);
  await settled(r.env.services, delivered, { limitMs: 60_000 });
  const before = ackedOps(r);
  await restart(r, () => copyStore(r.storeDir, r.backupDir));

  await review(r, [...range(15, REVIEWED), ...range(0, 10), ...range(0, 5)]);
  [1, 8, 20, 30].forEach((i) => escalate(r, i));
  await settled(r.env.services, delivered, { limitMs: 60_000 });
  const lost = ackedOps(r) - before;
  expect(lost).toBeGreaterThanOrEqual(40 + 4);

  await restart(r, async () => {
    copyStore(r.backupDir, r.storeDir);
    if (withNotice) {
      await restoreNotice(r.storeDir);
    }
  });
  // Work saved before the workstation notices: each builds on a revision the service lost.
  [0, 1, 2].forEach((i) => amend(r, i));
  r.env.services.sync.kick();
  return lost;
}

describe('losses noticed and repaired, against the service as its own process', { timeout: 120_000 }, () => {
  it('loses nothing when the service is killed mid-drain and restarted, and reports no loss', async () => {
    const r = await setUp(['--fault', 'delay', '--delay-ms', '40']);
    await review(r, range(0, REVIEWED));
    escalate(r, 5);
    await review(r, range(0, 12));
    const total = REVIEWED + 12 + 1;
    await settled(r.env.services, (s) => s.pending > 0 && s.pending < total, { limitMs: 60_000 });
    await r.proc.kill9();
    await settled(r.env.services, (s) => s.connection === 'offline', { limitMs: 60_000 });
    r.proc = await startServiceProcess(r.storeDir, r.port);

    const status = await settled(r.env.services, delivered, { limitMs: 60_000 });
    expectComplete(r);
    expect(status.recovery).toEqual({ state: 'none', resent: 0, unrecoverable: 0, at: null });
    expect(auditTypes(r)).not.toContain('service_loss_recovered');
  });

  it('resends what an older copy of the store lost, before newer work, and says so', async () => {
    const r = await setUp();
    const lost = await loseWorkToABackup(r, false);

    const status = await settled(r.env.services, delivered, { limitMs: 60_000 });
    expectComplete(r);
    expect(status.recovery).toMatchObject({ state: 'recovered', resent: lost, unrecoverable: 0 });
    expect(status.needsAttention).toEqual([]);
    expect(auditTypes(r)).toContain('service_loss_recovered');
  });

  it('re-checks at once after the restore notice, and a notice with nothing lost changes nothing', async () => {
    const r = await setUp();
    const lost = await loseWorkToABackup(r, true);

    const status = await settled(r.env.services, delivered, { limitMs: 60_000 });
    expectComplete(r);
    expect(status.recovery).toMatchObject({ state: 'recovered', resent: lost, unrecoverable: 0 });
    const epochNow = serviceQuery<{ epoch: string }>(r, 'SELECT epoch FROM service_epoch');
    expect(queryDb(r.env.dataDir, 'SELECT epoch FROM sync_marks')).toEqual(epochNow);

    // A second notice with nothing restored: the workstation checks again and finds nothing missing.
    await restart(r, async () => {
      await restoreNotice(r.storeDir);
    });
    await r.env.services.sync.syncNow();
    const after = await settled(r.env.services, delivered, { limitMs: 60_000 });
    expectComplete(r);
    expect(after.recovery).toEqual(status.recovery);
    expect(queryDb(r.env.dataDir, 'SELECT epoch FROM sync_marks')).toEqual(
      serviceQuery<{ epoch: string }>(r, 'SELECT epoch FROM service_epoch'),
    );
    expect(queryDb(r.env.dataDir, 'SELECT epoch FROM sync_marks')).not.toEqual(epochNow);
  });

  it("notices the loss when the workstation's marks are put back together with the service's store", async () => {
    const r = await setUp();
    await review(r, range(0, 15));
    await settled(r.env.services, delivered, { limitMs: 60_000 });
    const before = ackedOps(r);
    // The rows an older copy of the workstation's database holds, taken with the service's backup.
    const oldMarks = queryDb<{ acked: number; high_seq: number; epoch: string }>(
      r.env.dataDir,
      'SELECT acked, high_seq, epoch FROM sync_marks',
    );
    expect(oldMarks).toHaveLength(1);
    await restart(r, () => copyStore(r.storeDir, r.backupDir));

    await review(r, range(15, REVIEWED));
    await settled(r.env.services, delivered, { limitMs: 60_000 });
    const lost = ackedOps(r) - before;
    expect(lost).toBeGreaterThanOrEqual(REVIEWED - 15);

    await restart(r, () => {
      copyStore(r.backupDir, r.storeDir);
      const db = new Database(join(r.env.dataDir, 'earmark.db'));
      try {
        const [m] = oldMarks;
        db.prepare('UPDATE sync_marks SET acked = ?, high_seq = ?, epoch = ?').run(m?.acked, m?.high_seq, m?.epoch);
      } finally {
        db.close();
      }
    });
    r.env.services.sync.kick();

    // The rows now agree with the restored service; the sealed copy does not, so the loss shows.
    const status = await settled(r.env.services, (s) => delivered(s) && s.recovery.state === 'recovered', {
      limitMs: 60_000,
    });
    expectComplete(r);
    expect(status.recovery).toMatchObject({ state: 'recovered', resent: lost, unrecoverable: 0 });
    expect(auditTypes(r)).toContain('service_loss_recovered');
  });
});
