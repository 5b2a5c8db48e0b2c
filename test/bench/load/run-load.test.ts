/**
 * The load test at the smallest scale: two reviewers with 30-clip batches at a high pace, the
 * service as its own process over a data folder. Counts are asserted, never times: every op the
 * tool sent is in the service's store exactly once, and each route's latencies were recorded.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLoadArgs } from '../../../bench/load/load-args';
import { runLoad, type LoadResult } from '../../../bench/load/run-load';
import { CYCLE_ROUTE } from '../../../bench/load/simulated-reviewer';
import { makeTempDir } from '../../support/temp-dir';

const REVIEWERS = 2;
const CLIPS = 30;
const ESCALATE_EVERY = 7;
const AMEND_EVERY = 5;
/** Per reviewer: its clips, an amendment every fifth, an escalation every seventh, two audit events. */
const ANNOTATIONS = CLIPS + Math.floor(CLIPS / AMEND_EVERY);
const ESCALATIONS = Math.floor(CLIPS / ESCALATE_EVERY);
const AUDIT_EVENTS = 2;
/** Six review events, the clip's metrics and the shift row, per submitted revision. */
const TIMING_ROWS = ANNOTATIONS * 8;

type Counted = { readonly kind: string; readonly n: number };

describe('npm run load', { timeout: 180_000 }, () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let result: LoadResult;

  beforeAll(async () => {
    tmp = makeTempDir('earmark-load-test-');
    const args = parseLoadArgs(
      ['--reviewers', REVIEWERS, '--minutes', 2, '--pace-factor', 2000, '--clips', CLIPS]
        .concat(['--escalate-every', ESCALATE_EVERY, '--amend-every', AMEND_EVERY, '--data', tmp.dir])
        .map(String),
    );
    result = await runLoad(args);
  }, 180_000);

  afterAll(() => tmp.remove());

  it('stores every op it sent exactly once, and says so', () => {
    const db = new Database(join(tmp.dir, 'service.db'), { readonly: true });
    try {
      const ops = db
        .prepare<[], Counted>("SELECT kind, count(*) AS n FROM ops WHERE account LIKE 'load-%' GROUP BY kind")
        .all();
      expect(Object.fromEntries(ops.map((o) => [o.kind, o.n]))).toEqual({
        annotation: REVIEWERS * ANNOTATIONS,
        escalation: REVIEWERS * ESCALATIONS,
        audit: REVIEWERS * AUDIT_EVENTS,
      });
      const timing = db.prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM timing_records WHERE account LIKE 'load-%'",
      );
      expect(timing.get()?.n).toBe(REVIEWERS * TIMING_ROWS);
      // Each clip's current revision is its amendment where it had one: one current row per clip.
      const current = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM current_annotations');
      expect(current.get()?.n).toBe(REVIEWERS * CLIPS);
    } finally {
      db.close();
    }
    expect(result.totals).toMatchObject({
      reviewers: REVIEWERS,
      clipsSubmitted: REVIEWERS * CLIPS,
      opsStored: REVIEWERS * (ANNOTATIONS + ESCALATIONS + AUDIT_EVENTS),
      serviceHolds: REVIEWERS * (ANNOTATIONS + ESCALATIONS + AUDIT_EVENTS),
      answered: REVIEWERS * (ANNOTATIONS + ESCALATIONS + AUDIT_EVENTS),
      pendingLeft: 0,
      verified: true,
    });
    expect(result.phases.steady?.ops).toEqual({
      'annotation stored': REVIEWERS * ANNOTATIONS,
      'escalation stored': REVIEWERS * ESCALATIONS,
      'audit stored': REVIEWERS * AUDIT_EVENTS,
      'timing accepted': REVIEWERS * TIMING_ROWS,
    });
  });

  it('records latencies per route, the checkout phase apart from the steady one', () => {
    const counts = (phase: string) =>
      Object.fromEntries(Object.entries(result.phases[phase]?.routes ?? {}).map(([route, r]) => [route, r.count]));
    const cycles = REVIEWERS * CLIPS;
    expect(counts('checkout')).toEqual({
      'GET /v1/batches': REVIEWERS,
      'POST /v1/batches/:batchId/checkout': REVIEWERS,
    });
    expect(counts('steady')).toEqual({
      [CYCLE_ROUTE]: cycles,
      'GET /v1/batches': cycles,
      'POST /v1/annotations': cycles,
      'POST /v1/escalations': REVIEWERS * ESCALATIONS,
      'POST /v1/timing': cycles,
      'POST /v1/audit-events': REVIEWERS,
    });
    for (const summary of Object.values(result.phases)) {
      for (const route of Object.values(summary?.routes ?? {})) {
        expect(route.p50).toBeGreaterThan(0);
        expect(route.p99).toBeGreaterThanOrEqual(route.p50);
      }
      expect(summary?.errors).toEqual({});
    }
    expect(result.totals.checkoutBytes).toBeGreaterThan(0);
  });
});
