/**
 * `npm run load -- --database URL` at the smallest scale: the accounts and batches are prepared
 * in a PostgreSQL database and the service runs as its own process on it. Counts are asserted,
 * never times: every op the tool sent is in that database exactly once.
 */
import { Client } from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLoadArgs } from '../../../bench/load/load-args';
import { runLoad, type LoadResult } from '../../../bench/load/run-load';
import { newTestPgDatabase } from '../../support/test-store';

const REVIEWERS = 2;
const CLIPS = 20;
/** Per reviewer: every clip once, an amendment of every fifth, an escalation of every seventh, two audit events. */
const ANNOTATIONS = CLIPS + Math.floor(CLIPS / 5);
const ESCALATIONS = Math.floor(CLIPS / 7);
const OPS = ANNOTATIONS + ESCALATIONS + 2;

describe('npm run load on PostgreSQL', { timeout: 180_000 }, () => {
  let url: string;
  let result: LoadResult;

  beforeAll(async () => {
    url = await newTestPgDatabase();
    const args = parseLoadArgs(
      ['--reviewers', REVIEWERS, '--minutes', 2, '--pace-factor', 2000, '--clips', CLIPS]
        .concat(['--escalate-every', 7, '--amend-every', 5, '--database', url])
        .map(String),
    );
    result = await runLoad(args);
  }, 180_000);

  it('prepares its reviewers in the database, and the service there stores every op once', async () => {
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const ops = await db.query<{ kind: string; n: string }>(
        "SELECT kind, count(*) AS n FROM ops WHERE account LIKE 'load-%' GROUP BY kind",
      );
      expect(Object.fromEntries(ops.rows.map((o) => [o.kind, Number(o.n)]))).toEqual({
        annotation: REVIEWERS * ANNOTATIONS,
        escalation: REVIEWERS * ESCALATIONS,
        audit: REVIEWERS * 2,
      });
      const current = await db.query<{ n: string }>('SELECT count(*) AS n FROM current_annotations');
      expect(Number(current.rows[0]?.n)).toBe(REVIEWERS * CLIPS);
    } finally {
      await db.end();
    }
    expect(result.totals).toMatchObject({
      reviewers: REVIEWERS,
      clipsSubmitted: REVIEWERS * CLIPS,
      opsStored: REVIEWERS * OPS,
      serviceHolds: REVIEWERS * OPS,
      pendingLeft: 0,
      verified: true,
    });
    for (const summary of Object.values(result.phases)) {
      expect(summary?.errors).toEqual({});
    }
  });
});
