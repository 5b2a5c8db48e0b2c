/**
 * The PostgreSQL store reads a team report's clip and break records by shift and by batch through
 * partial indexes on those columns (migration 6). Before, the only index was by account and kind,
 * so each read walked every record of the kind the reviewer ever sent, and one page of team
 * shifts slowed with each reviewer's whole history. An insert's count of what the account
 * stored in the last day (its daily room) reads one day's entries of its index (migration 8).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { migratePg } from '../../../../service/store/postgres/migrate';
import { PG_TIMING_INSERT, PG_TIMING_READS } from '../../../../service/store/postgres/timing.repository';
import { suitePgPool } from '../../../support/suite-pg-pool';

describe('service store (PostgreSQL): reads of a team report', () => {
  const pool = suitePgPool();

  beforeAll(async () => {
    await migratePg(pool());
    await pool().query(`INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret)
       VALUES ('r', 'p-r', 'reviewer', 'scrypt$x', 'S')`);
    // A long history: 200 shifts of 100 clip records each, and a break in each shift.
    await pool().query(`INSERT INTO timing_records (id, account, kind, body, received_at, shift_id, batch_id)
       SELECT 'k-' || n, 'r', CASE WHEN n % 101 = 0 THEN 'break' ELSE 'clip' END, '{}', 0,
              's-' || (n / 101), 'b-' || (n / 101)
         FROM generate_series(0, 20199) AS n`);
    await pool().query('ANALYZE timing_records');
  });

  it.each([
    ['shifts that worked on a batch', PG_TIMING_READS.withBatch, [['r'], 'b-7'], 'timing_records_clip_batch'],
    ['records of shifts', PG_TIMING_READS.ofShifts, ['r', ['s-7']], 'timing_records_member_shift'],
    ['clip records of batches', PG_TIMING_READS.clipsOfBatches, ['r', ['b-7']], 'timing_records_clip_batch'],
    [
      'records of the last day (the daily room an insert counts)',
      PG_TIMING_INSERT,
      ['r', 2, [], [], [], [], [], [], 200_000, 1, 0],
      'timing_records_received',
    ],
  ])('finds the %s by index, never by walking the account’s records', async (_, sql, params, index) => {
    const plan = (await pool().query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows
      .map((row) => row['QUERY PLAN'])
      .join('\n');
    expect(plan).toMatch(new RegExp(`(Index|Bitmap Index|Index Only) Scan (using|on) ${index}`));
    expect(plan).not.toMatch(/Seq Scan on timing_records/);
    expect(plan).not.toMatch(/timing_records_account_kind/);
  });
});
