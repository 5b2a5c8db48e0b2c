/**
 * Crash test: a child process runs the real services through a scripted shift and is killed
 * with SIGKILL, CRASH_RUNS times (20 by default; `npm run test:crash` runs 200) over one data
 * folder: at a random moment, or inside a write (kill-points.ts: after the nth write statement of
 * an import, start-up, a submit, a draft save, a position, timing rows, an escalation, an outbox
 * send and its settle, an erase, a side batch's import, or a lock and unlock, whose sealed count
 * of wrong tries is written to the database and then to its anchor file; or, on a new folder of
 * its own, inside a migration), and the summary says where each of those landed. After each kill
 * the services are opened in this process, as a restart would (unlocking with the PIN), and what
 * they find is held against the child's acknowledgement log and the stand-in service's record.
 * CRASH_SEED replays a run.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/log/logger';
import { createServices } from '../../main/services';
import { makeTempDir } from '../support/temp-dir';
import { testKeyStore } from '../support/test-safe-storage';
import {
  apply,
  draftLoss,
  emptyState,
  integrityProblems,
  opIdCounts,
  outboxProblems,
  parseLog,
  readState,
  reconcile,
  sendProblems,
  servedLines,
  sideProblems,
  timingProblems,
  type RoundLog,
  type ShiftState,
} from './crash-model';
import { createPrng, type Prng } from './prng';
import { CRASH_BATCH_ID, CRASH_PIN, KILL_POINT_ENV, SECRET_ENV, SEED_ENV, type KillPoint } from './protocol';
import { latestVersion } from '../../main/db/migrate';
import { queryDb } from '../support/services';

const RUNS = Number(process.env['CRASH_RUNS'] ?? 20);
const SEED = Number(process.env['CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const ROOT = resolve(__dirname, '../..');
const CHILD = resolve(__dirname, 'shift-child.ts');
/** A child that neither reports ready nor gets killed by then is stuck. */
const STUCK_MS = 30_000;
/**
 * A round (the child's run, then the restart and its checks) that takes longer is stuck: it fails
 * with the round, the plan and the step it was in, instead of waiting for the whole run's timeout
 * (which left the loop spawning children behind a timed-out test). Not a timing check: a round
 * takes a few seconds even on a loaded machine.
 */
const ROUND_MS = 90_000;

/** Resolves as `work` does, or rejects naming `what` once `ms` have passed first. */
async function within<T>(work: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Stuck for ${ms} ms: ${what()}`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * When to pull the plug: at a random moment mid-shift (most runs), during start-up, or just as
 * a submit or the batch import begins (a random kill mostly lands between keystrokes).
 */
type KillPlan =
  | { readonly kind: 'shift'; readonly afterReadyMs: number }
  | { readonly kind: 'submit'; readonly afterBeginMs: number }
  | { readonly kind: 'startup'; readonly afterSpawnMs: number }
  | { readonly kind: 'import'; readonly afterBeginMs: number }
  /**
   * The child kills itself at this write; if it has not come after `fallbackAcks` acknowledged
   * operations of the shift, the parent kills it there. Counted, not timed: a slow machine only
   * takes longer to get there.
   */
  | { readonly kind: 'inside'; readonly point: KillPoint; readonly fallbackAcks: number }
  /**
   * As `inside`, at a write of start-up, on a new data folder of its own: the kill lands in a
   * migration (or just after them), and the next start must finish the schema.
   */
  | { readonly kind: 'migration'; readonly point: KillPoint; readonly fallbackAcks: number };

type ChildRun = {
  stdout: string;
  stderr: string;
  killedAt: number | undefined;
  startupMs: number | undefined;
  signal: NodeJS.Signals | null;
};

function runChild(
  dirs: { data: string; work: string },
  secret: string,
  seed: number,
  plan: KillPlan,
): Promise<ChildRun> {
  return new Promise((resolveRun, reject) => {
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dirs.data, dirs.work], {
      cwd: ROOT,
      env: {
        ...process.env,
        [SECRET_ENV]: secret,
        [SEED_ENV]: String(seed),
        ...(plan.kind === 'inside' || plan.kind === 'migration'
          ? { [KILL_POINT_ENV]: JSON.stringify(plan.point) }
          : {}),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const run: ChildRun = { stdout: '', stderr: '', killedAt: undefined, startupMs: undefined, signal: null };
    let scheduled = false;
    let timer: NodeJS.Timeout | undefined;
    // Acknowledged operations seen since the child got ready (the acks of its start-up come before).
    let acksSinceReady = 0;
    const killIn = (ms: number): void => {
      scheduled = true;
      timer = setTimeout(() => {
        run.killedAt = Date.now();
        child.kill('SIGKILL');
      }, ms);
    };
    const stuck = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `The child was not killed within ${STUCK_MS} ms (${run.startupMs === undefined ? 'never got ready' : 'got ready, never reached its kill'}; plan ${JSON.stringify(plan)}):\n${run.stderr}\n${run.stdout.slice(-600)}`,
        ),
      );
    }, STUCK_MS);
    if (plan.kind === 'startup') {
      killIn(plan.afterSpawnMs);
    }
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      run.stdout += chunk;
      if (run.killedAt === undefined && chunk.includes('"kind":"kill"')) {
        run.killedAt = Date.now();
      }
      if (!scheduled && plan.kind === 'import' && run.stdout.includes('"type":"import"')) {
        killIn(plan.afterBeginMs);
      }
      if (!scheduled && plan.kind === 'submit' && run.startupMs !== undefined && chunk.includes('"type":"submit"')) {
        killIn(plan.afterBeginMs);
      }
      if (run.startupMs === undefined && run.stdout.includes('"kind":"ready"')) {
        run.startupMs = Date.now() - spawnedAt;
        if (plan.kind === 'shift' || (plan.kind === 'import' && !scheduled)) {
          // A resumed child has no import to interrupt: it is killed mid-shift instead.
          killIn(plan.kind === 'shift' ? plan.afterReadyMs : 100);
        }
      }
      if (!scheduled && (plan.kind === 'inside' || plan.kind === 'migration') && run.startupMs !== undefined) {
        acksSinceReady += chunk.split('"kind":"ack"').length - 1;
        if (acksSinceReady >= plan.fallbackAcks) {
          killIn(0);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      run.stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(stuck);
      clearTimeout(timer);
      run.signal = signal;
      resolveRun(run);
    });
  });
}

/** The operations a kill point can name, after the first round; a submit is the likeliest. */
const INSIDE_OPS = [
  'submit',
  'submit',
  'draft',
  'position',
  'timing',
  'escalate',
  'startup',
  'send',
  'send',
  'erase',
  'side',
  'lock',
  'lock',
] as const;
/** Writes an operation makes at most, for the kill point's `nth` (an erase: key, count, clips, status, sweep). */
const MOST_WRITES: Partial<Record<KillPoint['op'], number>> = { startup: 3, send: 6, erase: 5, side: 8, lock: 6 };

function planFor(round: number, rng: Prng, startupMs: number): KillPlan {
  const inside = (op: KillPoint['op'], most: number): KillPlan => ({
    kind: 'inside',
    point: { op, nth: rng.int(1, most) },
    fallbackAcks: rng.int(10, 30),
  });
  if (round === 0) {
    // A new database: inside a migration, inside the import, or at a moment during the import.
    const pick = rng.int(0, 2);
    return pick === 0
      ? inside('startup', 8)
      : pick === 1
        ? inside('import', 12)
        : { kind: 'import', afterBeginMs: rng.int(0, 15) };
  }
  if (round % 10 === 9) {
    return { kind: 'startup', afterSpawnMs: rng.int(0, startupMs + 50) };
  }
  if (round % 10 === 4) {
    return { kind: 'migration', point: { op: 'startup', nth: rng.int(1, 14) }, fallbackAcks: 1 };
  }
  if (round % 5 === 2) {
    return inside('submit', 6);
  }
  if (round % 5 === 1 || round % 5 === 3) {
    const op = rng.pick(INSIDE_OPS);
    return inside(op, MOST_WRITES[op] ?? 4);
  }
  return { kind: 'shift', afterReadyMs: rng.int(100, 600) };
}

type Summary = {
  seed: number;
  runs: number;
  plans: Record<KillPlan['kind'], number>;
  /** Kill points reached, by operation and statement, and how many of them inside a transaction. */
  inside: { reached: number; inTransaction: number; fallback: number; at: Record<string, number> };
  inFlight: { landed: number; lost: number; none: number };
  acknowledged: { drafts: number; submits: number; other: number };
  /** Ops the stand-in service stored, and those sent again after a kill cut off their answer. */
  served: { stored: number; resentAfterKill: number };
  /** Restarts that unlocked with the PIN (the count of wrong tries was trusted every time). */
  unlocks: number;
  maxDraftLossMs: number;
  meanStartupMs: number;
  wallMs: number;
};

/**
 * A new data folder killed at a write of its first start (a migration, mostly), then opened as
 * a restart would: the schema is finished, the file is whole, and it holds no batch yet.
 */
async function migrationRound(
  root: string,
  round: number,
  secret: string,
  plan: Extract<KillPlan, { kind: 'migration' }>,
  summary: Summary,
  where: string,
): Promise<void> {
  const dirs = { data: join(root, `migration-${round}`), work: join(root, `migration-work-${round}`) };
  mkdirSync(dirs.work);
  const run = await runChild(dirs, secret, SEED + round, plan);
  expect(run.signal, `${where}: the child ended by itself:\n${run.stderr}`).toBe('SIGKILL');
  const log = parseLog(run.stdout);
  if (log.kill) {
    summary.inside.reached += 1;
    summary.inside.inTransaction += log.kill.inTransaction ? 1 : 0;
    const at = `migration: ${log.kill.sql}${log.kill.inTransaction ? '' : ' (autocommit)'}`;
    summary.inside.at[at] = (summary.inside.at[at] ?? 0) + 1;
  } else {
    summary.inside.fallback += 1;
  }
  const services = createServices({
    dataDir: dirs.data,
    appVersion: '0.0.0-crash',
    logger: silentLogger,
    keyStore: testKeyStore(dirs.data, { sharedSecret: secret }),
  });
  try {
    expect(integrityProblems(dirs.data), `${where}: integrity`).toEqual([]);
    expect(queryDb<{ user_version: number }>(dirs.data, 'PRAGMA user_version'), `${where}: schema`).toEqual([
      { user_version: latestVersion() },
    ]);
    // A batch is there only if its import was acknowledged or in flight, and then whole.
    const batches = services.batches.list().map((b) => b.id);
    const imported = log.acknowledged.some((a) => a.op.type === 'import') || log.inFlight?.type === 'import';
    expect(batches.length === 0 || (imported && batches.includes(CRASH_BATCH_ID)), `${where}: batches`).toBe(true);
  } finally {
    services.close();
  }
}

describe('crash safety', () => {
  it(
    `keeps every acknowledged save through ${RUNS} SIGKILLs at random points (seed ${SEED})`,
    async ({ signal }) => {
      const started = Date.now();
      const rng = createPrng(SEED);
      const secret = randomBytes(16).toString('hex');
      const tmp = makeTempDir('earmark-crash-');
      const dirs = { data: join(tmp.dir, 'data'), work: join(tmp.dir, 'work') };
      mkdirSync(dirs.work);
      const summary: Summary = {
        seed: SEED,
        runs: RUNS,
        plans: { shift: 0, submit: 0, startup: 0, import: 0, inside: 0, migration: 0 },
        inside: { reached: 0, inTransaction: 0, fallback: 0, at: {} },
        inFlight: { landed: 0, lost: 0, none: 0 },
        acknowledged: { drafts: 0, submits: 0, other: 0 },
        served: { stored: 0, resentAfterKill: 0 },
        unlocks: 0,
        maxDraftLossMs: 0,
        meanStartupMs: 0,
        wallMs: 0,
      };
      const startups: number[] = [];
      let model = emptyState();
      const timingAcks: { epoch: string; seqs: readonly number[] }[] = [];
      const sides = new Map<string, string>();
      const erased = new Set<string>();

      for (let round = 0; round < RUNS; round += 1) {
        // The whole run timed out: stop here rather than go on killing children behind a failed test.
        if (signal.aborted) {
          throw new Error(`Stopped at round ${round + 1}/${RUNS} (seed ${SEED}): the run was aborted.`);
        }
        const plan = planFor(round, rng, startups.at(-1) ?? 600);
        summary.plans[plan.kind] += 1;
        const where = `round ${round + 1}/${RUNS}, seed ${SEED}, plan ${JSON.stringify(plan)}, data ${dirs.data}`;
        if (plan.kind === 'migration') {
          await within(migrationRound(tmp.dir, round, secret, plan, summary, where), ROUND_MS, () => where);
          continue;
        }
        const run = await within(runChild(dirs, secret, SEED + round, plan), ROUND_MS, () => `${where}: the child`);
        expect(run.signal, `${where}: the child ended by itself:\n${run.stderr}`).toBe('SIGKILL');
        expect(run.killedAt, where).toBeDefined();
        if (run.startupMs !== undefined) {
          startups.push(run.startupMs);
        }

        let log: RoundLog;
        try {
          log = parseLog(run.stdout);
        } catch (error) {
          throw new Error(`${where}: ${String(error)}`, { cause: error });
        }
        if (plan.kind === 'inside') {
          if (log.kill) {
            summary.inside.reached += 1;
            summary.inside.inTransaction += log.kill.inTransaction ? 1 : 0;
            const at = `${log.kill.op}: ${log.kill.sql}${log.kill.inTransaction ? '' : ' (autocommit)'}`;
            summary.inside.at[at] = (summary.inside.at[at] ?? 0) + 1;
          } else {
            summary.inside.fallback += 1;
          }
        }
        if (log.ready) {
          // A restart resumes the batch already on disk rather than importing it again.
          expect(log.ready.resumed, `${where}: resumed`).toBe(model.batches.includes(CRASH_BATCH_ID));
        }
        let expected: ShiftState = model;
        for (const { op, ack } of log.acknowledged) {
          if (op.type === 'submit') {
            // Revisions continue from the latest one on disk.
            expect(op.basedOn, `${where}: based on`).toBe(expected.revisions[op.clipId]?.at(-1)?.revision ?? 0);
            expect(ack.revision, `${where}: revision`).toBe(op.basedOn + 1);
          }
          summary.acknowledged[op.type === 'draft' ? 'drafts' : op.type === 'submit' ? 'submits' : 'other'] += 1;
          if (op.type === 'side' && ack.opId) {
            sides.set(op.batchId, ack.opId);
          }
          if (op.type === 'erase') {
            erased.add(op.batchId);
          }
          expected = apply(expected, op, ack);
        }

        const services = createServices({
          dataDir: dirs.data,
          appVersion: '0.0.0-crash',
          logger: silentLogger,
          keyStore: testKeyStore(dirs.data, { sharedSecret: secret }),
        });
        try {
          if (services.lock.state().locked) {
            // Refused here if a kill left the count of wrong tries looking altered or rolled back.
            const unlocked = await within(services.lock.unlock(CRASH_PIN), ROUND_MS, () => `${where}: the unlock`);
            expect(unlocked.locked, `${where}: unlock`).toBe(false);
            summary.unlocks += 1;
          }
          expect(integrityProblems(dirs.data), `${where}: integrity`).toEqual([]);
          expect(sideProblems(dirs.data, { sides, erased }), `${where}: erase`).toEqual([]);
          expect(sendProblems(dirs.data, servedLines(dirs.work)), `${where}: send`).toEqual([]);
          const found = readState(services, dirs.data);
          let reconciled;
          try {
            reconciled = reconcile(expected, log.inFlight, found);
          } catch (error) {
            throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
          }
          summary.inFlight[
            reconciled.inFlightLanded === undefined ? 'none' : reconciled.inFlightLanded ? 'landed' : 'lost'
          ] += 1;
          const opIds = Object.values(reconciled.state.revisions).flatMap((revisions) => revisions.map((r) => r.opId));
          for (const [opId, count] of opIdCounts(dirs.data, opIds)) {
            expect(count, `${where}: rows with op id ${opId}`).toBe(1);
          }
          expect(outboxProblems(dirs.data), `${where}: outbox`).toEqual([]);
          timingAcks.push(
            ...log.acknowledged.flatMap(({ op }) => (op.type === 'timing' ? [{ epoch: op.epoch, seqs: op.seqs }] : [])),
          );
          expect(timingProblems(dirs.data, timingAcks), `${where}: timing`).toEqual([]);
          const drafts = draftLoss(log, run.killedAt ?? Date.now(), found);
          expect(drafts.problem, `${where}: drafts`).toBeUndefined();
          summary.maxDraftLossMs = Math.max(summary.maxDraftLossMs, drafts.lostMs);
          model = reconciled.state;
        } finally {
          services.close();
        }
      }

      const served = servedLines(dirs.work);
      summary.served = {
        stored: served.filter((l) => !l.duplicate).length,
        resentAfterKill: served.length - served.filter((l) => !l.duplicate).length,
      };
      if (RUNS >= 100) {
        // At full strength every kind of write was interrupted at least once.
        for (const op of ['migration', 'erase', 'send', 'lock']) {
          expect(
            Object.keys(summary.inside.at).some((k) => k.startsWith(`${op}:`)),
            `${op} in ${JSON.stringify(summary.inside.at)}`,
          ).toBe(true);
        }
      }
      // Kills landed inside transactions, not only between operations.
      expect(summary.inside.inTransaction, JSON.stringify(summary.inside)).toBeGreaterThan(0);
      // The shift got somewhere: the runs did real work, not just start-ups.
      expect(summary.acknowledged.drafts).toBeGreaterThan(RUNS);
      expect(Object.values(model.revisions).flat().length).toBeGreaterThan(0);
      summary.meanStartupMs = Math.round(startups.reduce((a, b) => a + b, 0) / Math.max(1, startups.length));
      summary.wallMs = Date.now() - started;
      mkdirSync(join(ROOT, 'test-results'), { recursive: true });
      writeFileSync(join(ROOT, 'test-results', 'crash-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      tmp.remove();
    },
    // A guard against a hung run, not a timing check: a loaded machine takes up to ~8 s a round.
    RUNS * 10_000 + 60_000,
  );
});
