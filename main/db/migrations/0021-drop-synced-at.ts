import type { Migration } from './types';

/**
 * Revisions and escalations each had a `synced_at`, set when the service acknowledged the op that
 * carried them. Nothing read it: the outbox row of the op (`state = 'acked'`, `acked_at`) says the
 * same, and is what the sync status, the loss check and the purge go by. Writing it cost every
 * acknowledged answer a second update, of the annotation rows with their sealed bodies (about
 * 2 ms of a 1,000-annotation sync). The column is dropped rather than left unwritten, so no later
 * reader takes a stale value for the truth.
 */
export const migration0021: Migration = {
  version: 21,
  name: 'drop-synced-at',
  up(db) {
    db.exec(`
      ALTER TABLE annotations DROP COLUMN synced_at;
      ALTER TABLE escalations DROP COLUMN synced_at;
    `);
  },
};
