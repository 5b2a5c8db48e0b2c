/**
 * The SQLite store reads an export page by index: ops and withdrawals from the cursor on by their
 * integer key (each branch limited to the page's size in the statement), and a revision's
 * "current" flag by its clip's key. Before, every row after the cursor was checked against every
 * current row, so each page cost their product and a whole export grew with its square.
 */
import { describe, expect, it } from 'vitest';
import { exportRecordsSql } from '../../../../service/store/rows/op-row';
import { openServiceDb } from '../../../../service/store/sqlite/connection';

describe('service store (SQLite): an export page', () => {
  it('walks seq by index with the page limit in each branch, and finds "current" by key', () => {
    const db = openServiceDb(':memory:');
    try {
      const plan = db
        .prepare<[{ after: number; limit: number }], { detail: string }>(
          `EXPLAIN QUERY PLAN ${exportRecordsSql({ after: '@after', limit: '@limit' })}`,
        )
        .all({ after: 0, limit: 100 })
        .map((row) => row.detail);
      // Ops and withdrawals from the cursor on, by their integer key: no scan of either table.
      expect(plan).toContain('SEARCH o USING INTEGER PRIMARY KEY (rowid>?)');
      expect(plan).toContain('SEARCH w USING INTEGER PRIMARY KEY (rowid>?)');
      // "current" only ever by the clip's key (it was a scan of every current row, for every row).
      const current = plan.filter((d) => / c\b/.test(d));
      expect(current.length).toBeGreaterThan(0);
      expect(new Set(current)).toEqual(
        new Set(['SEARCH c USING INDEX sqlite_autoindex_current_annotations_1 (batch_id=? AND clip_id=?)']),
      );
      expect(plan.filter((d) => /^SCAN (o|w|r|c|ops|clip_withdrawals|current_annotations)\b/.test(d))).toEqual([]);
    } finally {
      db.close();
    }
  });
});
