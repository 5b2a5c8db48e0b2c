/**
 * The SQLite store's op check reads each fact through an index: its cost does not grow with the
 * batch's clips, nor with the checkouts of other batches.
 */
import { describe, expect, it } from 'vitest';
import { openServiceDb } from '../../service/store/sqlite/connection';
import { OP_CHECK_FACTS } from '../../service/store/sqlite/op-check.repository';

describe('service store (SQLite): the op check', () => {
  it('searches every table it reads by index and scans none', () => {
    const db = openServiceDb(':memory:');
    try {
      const plan = db
        .prepare<[{ batchId: string; clipId: string; account: string; keyId: string }], { detail: string }>(
          `EXPLAIN QUERY PLAN ${OP_CHECK_FACTS}`,
        )
        .all({ batchId: 'b-1', clipId: 'c-1', account: 'r-1', keyId: 'k-1' })
        .map((row) => row.detail);
      for (const table of ['batches', 'batch_clips', 'checkouts']) {
        expect(plan.filter((d) => d.includes(` ${table} `) || d.endsWith(` ${table}`)).length, table).toBeGreaterThan(
          0,
        );
      }
      expect(plan.filter((d) => /^SCAN\b/.test(d) && d !== 'SCAN CONSTANT ROW')).toEqual([]);
      // Read through the batch repository, each op counted every clip of its batch: a search of
      // batch_clips by batch alone. Here each names the one clip.
      expect(plan.filter((d) => d.includes(' batch_clips ') && !d.includes('clip_id=?'))).toEqual([]);
    } finally {
      db.close();
    }
  });
});
