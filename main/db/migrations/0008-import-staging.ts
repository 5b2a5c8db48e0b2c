import type { Migration } from './types';

/**
 * An import writes its clips in short transactions of their own, so main's writes never wait
 * on one long one. Until the last of them, the batch is `staged`: every query of the app leaves
 * it out, and one short transaction clears the flag (with the batch key saved) to make it
 * visible. A staged batch left by a crash or a cancelled import is removed at the next start.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'import-staging',
  up(db) {
    db.exec(`
      ALTER TABLE batches ADD COLUMN staged INTEGER NOT NULL DEFAULT 0 CHECK (staged IN (0, 1));
    `);
  },
};
