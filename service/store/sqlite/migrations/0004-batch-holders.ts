import type { Migration } from './types';

/**
 * One writer per batch: a batch is checked out to one device of its account at a time.
 *
 * - `checkouts` gain `released_at`, `release_kind` and `released_by`: a checkout ends when its
 *   device hands the batch over (`handed_over`, after draining its work) or an operator moves it
 *   (`forced`, which surrenders the device's unsynced work). A device whose checkout ended has its
 *   later annotations for the batch refused.
 * - At most one checkout per batch is neither released nor revoked (`checkouts_one_holder`).
 *   Where several devices held one batch before this version, the latest checkout keeps it and
 *   the others are released as forced by `migration`, since nothing decided between them before.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'batch-holders',
  up(db) {
    db.exec(`
      ALTER TABLE checkouts ADD COLUMN released_at INTEGER;
      ALTER TABLE checkouts ADD COLUMN release_kind TEXT CHECK (release_kind IN ('handed_over', 'forced'));
      ALTER TABLE checkouts ADD COLUMN released_by TEXT;

      UPDATE checkouts SET released_at = at, release_kind = 'forced', released_by = 'migration'
      WHERE revoked_at IS NULL AND EXISTS (
        SELECT 1 FROM checkouts later
        WHERE later.batch_id = checkouts.batch_id AND later.revoked_at IS NULL
          AND (later.at > checkouts.at OR (later.at = checkouts.at AND later.key_id > checkouts.key_id))
      );

      CREATE UNIQUE INDEX checkouts_one_holder ON checkouts (batch_id) WHERE released_at IS NULL AND revoked_at IS NULL;
    `);
  },
};
