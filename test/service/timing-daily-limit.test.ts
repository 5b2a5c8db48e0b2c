/**
 * An insider with their own password could upload made-up timing records without end: the
 * service takes TIMING_RECORDS_PER_DAY new records per account in any 24 hours and refuses the
 * rest one by one (`over_daily_limit`), audited, for the workstation to send again. The room
 * comes back as the day moves on, and one account's day never touches another's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timingResponseSchema } from '../../shared/sync/messages';
import { TIMING_RECORDS_PER_DAY } from '../../service/timing-checks';
import { approvedReviewer, type ApprovedReviewer } from '../support/approved-reviewer';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams } from '../support/team-workstations';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('timing records per account and day', () => {
  let svc: TestService;
  let reviewer: ApprovedReviewer;
  beforeAll(async () => {
    svc = await startTestService();
    reviewer = await approvedReviewer(svc);
  });
  afterAll(async () => {
    await svc.stop();
  });

  /** Stores `n` records for `account` as received at `at`, straight in the store (an upload's worth at once). */
  const seed = (account: string, prefix: string, n: number, at: number) =>
    svc.query(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO timing_records (id, account, kind, body, received_at)
       SELECT ? || i, ?, 'event', '{}', ? FROM n`,
      n,
      prefix,
      account,
      at,
    );

  const event = (id: string) => ({
    id,
    kind: 'event',
    values: {
      id: 1,
      epoch: 'epoch-0001',
      seq: 1,
      kind: 'play',
      t: 1,
      at: svc.now() - 1_000,
      shiftId: null,
      batchId: null,
      clipId: null,
      positionMs: 0,
      value: null,
      label: null,
    },
  });

  const upload = async (ids: readonly string[]) => {
    const answer = await reviewer.call('POST', '/v1/timing', { records: ids.map(event) });
    expect([answer.status, answer.bytes.toString('utf8')]).toEqual([200, expect.stringContaining('accepted')]);
    return timingResponseSchema.parse(JSON.parse(answer.bytes.toString('utf8')));
  };
  const held = async (ids: readonly string[]) =>
    (
      await svc.query<{ id: string }>(
        `SELECT id FROM timing_records WHERE account = ? AND id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`,
        svc.reviewer.account,
        ...ids,
      )
    ).map((r) => r.id);

  it('refuses records past the day’s room one by one, audited, and takes them once room comes back', async () => {
    const account = svc.reviewer.account;
    const now = svc.now();
    // A day's room all but two records full: most of it stored a day ago less an hour.
    await seed(account, 'old-', TIMING_RECORDS_PER_DAY - 10, now - DAY_MS + 3_600_000);
    await seed(account, 'new-', 8, now);
    // Older than a day: not counted.
    await seed(account, 'gone-', 50, now - DAY_MS - 1);

    const ids = ['t-1', 't-2', 't-3', 't-4'];
    const first = await upload(ids);
    expect(first.accepted).toEqual(['t-1', 't-2']);
    expect(first.refused.map((r) => [r.id, r.code])).toEqual([
      ['t-3', 'over_daily_limit'],
      ['t-4', 'over_daily_limit'],
    ]);
    expect(first.refused[0]?.message).toMatch(/200000 timing records in the last 24 hours/);
    expect(await held(ids)).toEqual(['t-1', 't-2']);
    const audited = await svc.service.core.store.audit.list({ afterSeq: 0, limit: 100, action: 'timing.upload' });
    expect(audited.map((r) => [r.actor, r.outcome, r.code])).toEqual([[account, 'refused', 'over_daily_limit']]);

    // A record already held, sent again while the day is full, is taken: it stores nothing, and
    // the sender can settle it. Nothing new is stored.
    const again = await upload(['t-1', 't-3']);
    expect(again.accepted).toEqual(['t-1']);
    expect(again.refused.map((r) => [r.id, r.code])).toEqual([['t-3', 'over_daily_limit']]);
    expect(await held(ids)).toEqual(['t-1', 't-2']);

    // An hour and a minute on, the records stored a day ago leave the window: the rest are taken.
    svc.advance(3_660_000);
    const later = await upload(['t-1', 't-3', 't-4']);
    expect(later).toEqual({ accepted: ['t-1', 't-3', 't-4'], refused: [] });
    expect(await held(ids)).toEqual(ids);
  });

  it('counts each account’s day alone', async () => {
    await seed(svc.reviewer.account, 'full-', TIMING_RECORDS_PER_DAY, svc.now());
    expect((await upload(['f-1'])).refused.map((r) => r.code)).toEqual(['over_daily_limit']);
    const ws = await formTeams(svc);
    const answer = await ws.teammate.call('POST', '/v1/timing', { records: [event('o-1')] });
    expect([answer.status, answer.body]).toEqual([200, { accepted: ['o-1'], refused: [] }]);
  });
});
