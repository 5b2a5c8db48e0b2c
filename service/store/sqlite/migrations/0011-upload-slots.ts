import type { Migration } from './types';

/**
 * The store-wide slots for large uploads (service/store/upload-slot-repository.ts): one row per
 * slot held, by a random holder, for one account (an account holds one slot at most), until
 * its expiry. A free slot has no row.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'upload-slots',
  up(db) {
    db.exec(`
      CREATE TABLE large_upload_slots (
        slot       INTEGER PRIMARY KEY CHECK (slot >= 0),
        holder     TEXT NOT NULL UNIQUE,
        account    TEXT NOT NULL UNIQUE,
        expires_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
