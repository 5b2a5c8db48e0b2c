import type { Migration } from './types';

/**
 * An erased batch kept one row per clip (ids, ordinal and state, no bytes): about 90 bytes a
 * clip with the two indexes, so a 10,000-clip batch left most of a megabyte behind for good.
 * Nothing reads those rows once the batch has ended: its clips can be neither listed nor
 * played, submits are refused, and the reviewer's own work (revisions, drafts, escalations)
 * lives in tables of its own, which still name the clip. All a summary needs of them is how
 * many clips were quarantined: that count moves onto the batch row, and the rows go.
 *
 * Rows of batches erased before this version go here too; the pages they free are given back by
 * the next incremental vacuum.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'compact-erased-clips',
  up(db) {
    db.exec(`
      ALTER TABLE batches ADD COLUMN erased_quarantined INTEGER NOT NULL DEFAULT 0
        CHECK (erased_quarantined >= 0);
      UPDATE batches SET erased_quarantined =
        (SELECT count(*) FROM clips c WHERE c.batch_id = batches.id AND c.state = 'quarantined')
        WHERE status <> 'active';
      DELETE FROM clips WHERE batch_id IN (SELECT id FROM batches WHERE status <> 'active');
    `);
  },
};
