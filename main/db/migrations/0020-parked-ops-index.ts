import type { Migration } from './types';

/**
 * The sync status lists the reviewer's unresolved parked ops, and it is projected after every
 * upload and every change the window is told of. With no index to answer it, SQLite read every
 * outbox row for its state: the outbox keeps acknowledged ops for at least 14 days, so each status
 * cost more the more work had been synced (about 0.1 ms per 1,000 rows, a dozen times per sync
 * cycle). A partial index holds the unresolved parked ops alone, almost always none.
 */
export const migration0020: Migration = {
  version: 20,
  name: 'parked-ops-index',
  up(db) {
    db.exec(`CREATE INDEX outbox_parked ON outbox (seq) WHERE state = 'parked' AND resolution IS NULL;`);
  },
};
