import type { Migration } from './types';

/**
 * The first schema: workstation settings and the batch list. Batch rows hold only what a
 * package reveals in the clear (ids, counts, locale, expiry); clip content comes with the vault.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE batches (
        id          TEXT PRIMARY KEY,
        locale      TEXT NOT NULL,
        clip_count  INTEGER NOT NULL CHECK (clip_count >= 0),
        done_count  INTEGER NOT NULL DEFAULT 0 CHECK (done_count >= 0 AND done_count <= clip_count),
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        imported_at INTEGER NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('active', 'expired', 'revoked'))
      ) STRICT;
    `);
  },
};
