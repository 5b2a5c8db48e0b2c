import type { Migration } from './types';

/**
 * A batch from the service belongs to the reviewer it was checked out (or imported) for: several
 * reviewers may share one workstation, each signing in in turn, and one must neither see nor
 * erase another's batches. `owner` holds that reviewer's pseudonym.
 *
 * Older versions did not record it, but they recorded who checked a batch out or imported it in
 * that reviewer's audit event in the outbox: the owner is taken from the latest such event. A
 * batch with none left (its events pruned) keeps no owner and is treated as older versions
 * treated every batch: the signed-in reviewer's.
 */
export const migration0019: Migration = {
  version: 19,
  name: 'sync-batch-owner',
  up(db) {
    db.exec(`
      ALTER TABLE sync_batches ADD COLUMN owner TEXT;
      UPDATE sync_batches SET owner = (
        SELECT o.author FROM outbox o
        WHERE o.kind = 'audit' AND o.batch_id = sync_batches.batch_id
          AND o.audit_type IN ('batch_checked_out', 'batch_imported_offline')
        ORDER BY o.seq DESC LIMIT 1
      );
    `);
  },
};
