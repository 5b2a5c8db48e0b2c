import type { Migration } from './types';

/**
 * What every unauthenticated challenge and every sign-in attempt deletes first: the challenges
 * that expired, and the failures older than a day. Without an index on their times each of those
 * cheap requests read the whole table, so a flood of them cost more the longer it ran. The
 * PostgreSQL store has had both indexes from its first migration.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'sign-in-expiry-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX sign_in_challenges_expiry ON sign_in_challenges (expires_at);
      CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
    `);
  },
};
