import type { Migration } from './types';

/**
 * A batch from the service kept `checked_at`, the time of the last sync that asked about it,
 * written at every cycle for every batch, each a synced commit. Nothing read it, so a cycle
 * now writes a batch's row only when the service's word on it changes; the column is dropped
 * rather than left behind going stale, so no later reader takes it for the last check.
 */
export const migration0022: Migration = {
  version: 22,
  name: 'drop-checked-at',
  up(db) {
    db.exec('ALTER TABLE sync_batches DROP COLUMN checked_at;');
  },
};
