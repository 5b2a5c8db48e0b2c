/**
 * The SQLite store reads a team report's clip and break records by shift and by batch through
 * indexes on those fields. Before, each read walked every record of the kind the reviewer ever
 * sent (the index was by account and kind only) and parsed its body, so one page of team shifts
 * slowed with each reviewer's whole history.
 */
import { describe, expect, it } from 'vitest';
import { openServiceDb } from '../../../../service/store/sqlite/connection';
import { TIMING_READS } from '../../../../service/store/sqlite/timing.repository';

const planOf = (sql: string, params: readonly unknown[]): string[] => {
  const db = openServiceDb(':memory:');
  try {
    return db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => row.detail);
  } finally {
    db.close();
  }
};

describe('service store (SQLite): reads of a team report', () => {
  it.each([
    ['shifts that worked on a batch', TIMING_READS.withBatch, ['["r"]', 'b-1'], 'timing_records_clip_batch'],
    ['records of shifts', TIMING_READS.ofShifts, ['r', '["s-1"]'], 'timing_records_member_shift'],
    ['clip records of batches', TIMING_READS.clipsOfBatches, ['r', '["b-1"]'], 'timing_records_clip_batch'],
  ])('finds the %s by index, never by walking the account’s records', (_, sql, params, index) => {
    const plan = planOf(sql, params);
    const reads = plan.filter((d) => /\btiming_records\b/.test(d));
    expect(reads).toEqual([
      expect.stringMatching(
        new RegExp(`^SEARCH timing_records USING INDEX ${index} \\(account=\\? AND <expr>=\\?\\)$`),
      ),
    ]);
  });
});
