/**
 * The promises of the ops repository with several service processes on one PostgreSQL database:
 * each process is a pool of its own. Interleavings are forced rather than hoped for: one
 * process's unit of work is held open while the other's request waits on it, seen waiting in
 * `pg_locks`.
 */
import type { Pool } from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  ExportedAnnotation,
  ExportedRecord,
  IncomingOp,
  OpRepository,
} from '../../../../service/store/repositories';
import { poolDb, type PgDb } from '../../../../service/store/postgres/db';
import { pgWorkRepositories, type WorkRepositories } from '../../../../service/store/postgres/work-repositories';
import { testBatchId, testClipId } from '../../../support/ids';
import { startPgCluster, type PgCluster } from '../../../support/postgres';
import { pgSecondPool, pgWorkPool } from './work-backends';

/** The annotation revisions of an export page, without its withdrawals. */
const revisionsOf = (records: readonly ExportedRecord[]): ExportedAnnotation[] =>
  records.flatMap((r) => (r.record === 'revision' ? [r] : []));

const B = testBatchId(1);
const CLIPS = 400;

const annotation = (
  opId: string,
  clipN: number,
  revision: number,
  base: { revision: number; opId: string | null } = { revision: 0, opId: null },
  text = `t-${opId}`,
): IncomingOp => ({
  opId,
  payload: { opId, batchId: B, clipId: testClipId(clipN, 4), revision, text },
  revision: { batchId: B, clipId: testClipId(clipN, 4), revision, baseRevision: base.revision, baseOpId: base.opId },
  refusal: null,
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Waits until `n` sessions wait for an advisory lock (no time limit: the test's own timeout ends a hang). */
async function untilWaiting(pool: Pool, n: number): Promise<void> {
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
    );
    if ((rows[0]?.n ?? 0) >= n) {
      return;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Runs `first` in a unit of work on process A and holds it open after it returns; then starts
 * `second` on process B, waits until B waits for A's lock, and lets A commit.
 */
async function interleave<T, U = T>(
  a: PgDb,
  watch: Pool,
  first: (ops: OpRepository) => Promise<T>,
  second: () => Promise<U>,
  whileBothOpen: () => Promise<void> = () => Promise.resolve(),
): Promise<[T, U]> {
  const done = deferred();
  const hold = deferred();
  const unit = a.atomic(async (tx) => {
    const value = await first(pgWorkRepositories(tx).ops);
    done.resolve();
    await hold.promise;
    return value;
  });
  await done.promise;
  const other = second();
  await untilWaiting(watch, 1);
  await whileBothOpen();
  hold.resolve();
  return Promise.all([unit, other]);
}

/** Counts the statements run through a PgDb (transaction control aside). */
function counting(db: PgDb): { db: PgDb; statements: () => number } {
  let n = 0;
  const wrap = (inner: PgDb): PgDb => ({
    query: (text, values) => {
      n += 1;
      return inner.query(text, values);
    },
    execute: (text, values) => {
      n += 1;
      return inner.execute(text, values);
    },
    atomic: (work) => inner.atomic((tx) => work(wrap(tx))),
  });
  return { db: wrap(db), statements: () => n };
}

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster.stop();
});

describe('ops on PostgreSQL with two service processes', () => {
  let poolA: Pool;
  let poolB: Pool;
  let a: WorkRepositories;
  let b: WorkRepositories;

  beforeEach(async () => {
    const made = await pgWorkPool(cluster);
    poolA = made.pool;
    poolB = pgSecondPool(made.url);
    a = pgWorkRepositories(poolDb(poolA));
    b = pgWorkRepositories(poolDb(poolB));
    await poolA.query(`INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret)
       VALUES ('r1', 'p-r1', 'reviewer', 'scrypt$x', 'S'), ('r2', 'p-r2', 'reviewer', 'scrypt$x', 'S')`);
    await a.batches.add({
      batchId: B,
      assignedTo: 'r1',
      locale: 'en-US',
      createdAt: 0,
      expiresAt: 1e12,
      clips: Array.from({ length: CLIPS }, (_, i) => ({
        details: { id: testClipId(i + 1, 4), durationMs: 1, codec: 'opus', asrText: '', consent: 'granted' },
        audio: null,
      })),
    });
  });
  afterEach(async () => {
    await Promise.all([poolA.end(), poolB.end()]);
  });

  it('stores an op id once when two processes send it at the same moment', async () => {
    const op = annotation('op-1', 1, 1);
    const [first, second] = await interleave(
      poolDb(poolA),
      poolA,
      (ops) => ops.apply('annotation', 'r1', [op], 100),
      () => b.ops.apply('annotation', 'r1', [op], 200),
    );
    expect(first[0]).toMatchObject({ outcome: 'stored', result: { serverSeq: 1, receivedAt: 100 } });
    expect(second[0]).toMatchObject({ outcome: 'duplicate', result: { serverSeq: 1, receivedAt: 100 } });

    const changed = annotation('op-2', 2, 1, undefined, 'one text');
    const [, conflict] = await interleave(
      poolDb(poolB),
      poolA,
      (ops) => ops.apply('annotation', 'r1', [changed], 100),
      () => a.ops.apply('annotation', 'r1', [annotation('op-2', 2, 1, undefined, 'another')], 100),
    );
    expect(conflict[0]?.outcome).toBe('conflict');
    expect(await a.ops.count('annotation')).toBe(2);
  });

  it('stores each of many op ids once under free-running races', async () => {
    const rounds = Array.from({ length: 40 }, (_, i) => annotation(`op-${i}`, i + 1, 1));
    const results = await Promise.all(
      rounds.flatMap((op) => [a.ops.apply('annotation', 'r1', [op], 1), b.ops.apply('annotation', 'r1', [op], 2)]),
    );
    const outcomes = results.map((r) => r[0]?.outcome);
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(40);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(40);
    expect(await b.ops.count('annotation')).toBe(40);
  });

  it('takes one of two revisions made on the same base, and refuses the other as stale', async () => {
    await a.ops.apply('annotation', 'r1', [annotation('base', 1, 1)], 1);
    const base = { revision: 1, opId: 'base' };
    const [first, second] = await interleave(
      poolDb(poolA),
      poolA,
      (ops) => ops.apply('annotation', 'r1', [annotation('from-a', 1, 2, base)], 2),
      () => b.ops.apply('annotation', 'r1', [annotation('from-b', 1, 2, base)], 2),
    );
    expect(first[0]?.outcome).toBe('stored');
    expect(second[0]).toMatchObject({ code: 'base_stale', currentRevision: 2, currentOpId: 'from-a' });

    // Free-running: on every clip, exactly one of the two amendments is kept.
    await a.ops.apply(
      'annotation',
      'r1',
      Array.from({ length: 30 }, (_, i) => annotation(`b-${i}`, i + 10, 1)),
      3,
    );
    const raced = await Promise.all(
      Array.from({ length: 30 }, (_, i) => [
        a.ops.apply('annotation', 'r1', [annotation(`x-${i}`, i + 10, 2, { revision: 1, opId: `b-${i}` })], 4),
        b.ops.apply('annotation', 'r1', [annotation(`y-${i}`, i + 10, 2, { revision: 1, opId: `b-${i}` })], 4),
      ]).flat(),
    );
    const codes = raced.map((r) => r[0]?.code);
    expect(codes.filter((c) => c === 'stored')).toHaveLength(30);
    expect(codes.filter((c) => c === 'base_stale')).toHaveLength(30);
    const current = await b.ops.current(B);
    expect(current.filter((c) => c.revision === 2)).toHaveLength(31);
  });

  it('never lets a later seq be read before an earlier one commits', async () => {
    const [first, second] = await interleave(
      poolDb(poolA),
      poolA,
      (ops) => ops.apply('annotation', 'r1', [annotation('slow', 1, 1)], 1),
      () => b.ops.apply('annotation', 'r2', [annotation('fast', 2, 1)], 1),
      async () => {
        // The first is drawn but not committed, the second waits: an export sees neither yet.
        expect(await b.ops.exportAnnotations({ afterSeq: 0, limit: 10 })).toEqual([]);
      },
    );
    expect([first[0]?.result?.serverSeq, second[0]?.result?.serverSeq]).toEqual([1, 2]);
    expect(revisionsOf(await b.ops.exportAnnotations({ afterSeq: 0, limit: 10 })).map((e) => e.opId)).toEqual([
      'slow',
      'fast',
    ]);
  });

  it('exports every revision once, resuming from its cursor while two processes write', async () => {
    const writer = async (repos: WorkRepositories, account: string, from: number): Promise<void> => {
      for (let i = 0; i < 20; i += 1) {
        const clipN = from + i * 5;
        await repos.ops.apply(
          'annotation',
          account,
          Array.from({ length: 5 }, (_, k) => annotation(`${account}-${i}-${k}`, clipN + k, 1)),
          i,
        );
      }
    };
    const seen: number[] = [];
    let cursor = 0;
    const page = async (): Promise<number> => {
      const rows = await b.ops.exportAnnotations({ afterSeq: cursor, limit: 7 });
      for (const r of rows) {
        seen.push(r.seq);
        cursor = r.seq;
      }
      return rows.length;
    };
    const state = { writing: true };
    const reader = (async () => {
      while (state.writing) {
        await page();
      }
    })();
    await Promise.all([writer(a, 'r1', 1), writer(b, 'r2', 201)]);
    state.writing = false;
    await reader;
    while ((await page()) > 0) {
      // Drain what was committed after the last page read while writing.
    }
    const all = await a.ops.exportAnnotations({ afterSeq: 0, limit: 10_000 });
    expect(all).toHaveLength(200);
    expect(seen).toEqual(all.map((r) => r.seq));
  });

  it('never keeps an upload of a clip withdrawn while it was checked', async () => {
    const clipId = testClipId(1, 4);
    // The upload checked consent and stored its op; the withdrawal waits, then erases it.
    const [stored, erased] = await interleave(
      poolDb(poolA),
      poolA,
      async (ops) => {
        expect(await a.batches.isWithdrawn(B, clipId)).toBe(false);
        return ops.apply('annotation', 'r1', [annotation('first', 1, 1)], 1);
      },
      () =>
        poolDb(poolB).atomic(async (tx) => {
          const t = pgWorkRepositories(tx);
          await t.batches.withdrawClip(B, clipId);
          return t.ops.eraseClip(B, clipId);
        }),
    );
    expect(stored[0]?.outcome).toBe('stored');
    expect(erased).toEqual({ annotations: 1, escalations: 0 });
    expect(await a.ops.current(B)).toEqual([]);
    expect(revisionsOf(await a.ops.exportAnnotations({ afterSeq: 0, limit: 10 }))[0]?.payload).toContain(
      '"withdrawn":true',
    );

    // The withdrawal committed between the upload's check and its apply: the apply refuses it.
    const other = testClipId(2, 4);
    expect(await a.batches.isWithdrawn(B, other)).toBe(false);
    await b.batches.withdrawClip(B, other);
    await b.ops.eraseClip(B, other);
    const [late] = await a.ops.apply('annotation', 'r1', [annotation('late', 2, 1)], 2);
    expect(late).toMatchObject({ outcome: 'rejected', code: 'withdrawn' });
    expect(await a.ops.count('annotation')).toBe(1);
  });

  it('costs a fixed number of statements for a 1,000-clip batch and a 100-op apply', async () => {
    const counted = counting(poolDb(poolA));
    const repos = pgWorkRepositories(counted.db);
    await repos.batches.add({
      batchId: testBatchId(2),
      assignedTo: 'r1',
      locale: 'en-US',
      createdAt: 0,
      expiresAt: 1,
      clips: Array.from({ length: 1000 }, (_, i) => ({
        details: { id: testClipId(i + 1, 4), durationMs: 1, codec: 'opus', asrText: '', consent: 'granted' },
        audio: Buffer.alloc(64, i % 256),
      })),
    });
    // The batch row, then the clips in two multi-row statements of 500.
    expect(counted.statements()).toBe(3);
    expect((await a.batches.find(testBatchId(2)))?.clipCount).toBe(1000);

    const before = counted.statements();
    const results = await repos.ops.apply(
      'annotation',
      'r1',
      Array.from({ length: 100 }, (_, i) => annotation(`op-${i}`, i + 1, 1)),
      5,
    );
    expect(results.every((r) => r.outcome === 'stored')).toBe(true);
    // Lock; one read of the ops, revisions and current rows; one write of ops, revisions and current rows.
    expect(counted.statements() - before).toBe(3);
  });
});
