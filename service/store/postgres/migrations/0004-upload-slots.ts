import type { PgMigration } from './types';

/**
 * The store-wide slots for large uploads (service/store/upload-slot-repository.ts): one row per
 * slot held, by a random holder, for one account (an account holds one slot at most), until its
 * expiry. A free slot has no row. Claims are made under an advisory lock
 * (service/store/postgres/upload-slot.repository.ts), so processes racing take distinct slots.
 */
export const pgMigration0004: PgMigration = {
  version: 4,
  name: 'upload-slots',
  sql: `
    CREATE TABLE large_upload_slots (
      slot       INTEGER PRIMARY KEY CHECK (slot >= 0),
      holder     TEXT NOT NULL UNIQUE,
      account    TEXT NOT NULL UNIQUE,
      expires_at BIGINT NOT NULL
    );
  `,
};
