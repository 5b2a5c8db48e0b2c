import type { Migration } from './types';

/**
 * Sign-in challenges are no longer stored when issued (service/sign-in-challenge.ts): the store
 * keeps only the ones a sign-in spent. The table is renamed for what it now holds, and emptied:
 * its rows were challenges issued and not yet spent, which no process of this release takes.
 * The new schema version also tells a process of an earlier release, still running beside this
 * one, that it is out of date (`/readyz` answers `schema_not_current`), so no process takes a row
 * here for a challenge waiting to be spent.
 */
export const migration0017: Migration = {
  version: 17,
  name: 'spent-challenges',
  up(db) {
    db.exec(`
      DELETE FROM sign_in_challenges;
      ALTER TABLE sign_in_challenges RENAME TO spent_challenges;
      DROP INDEX sign_in_challenges_expiry;
      CREATE INDEX spent_challenges_expiry ON spent_challenges (expires_at);
    `);
  },
};
