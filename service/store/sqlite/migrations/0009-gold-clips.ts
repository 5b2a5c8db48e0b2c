import type { Migration } from './types';

/**
 * Gold clips: clips whose right answer an operator knows, mixed into batches to measure accuracy
 * beside speed (docs/gold-clips.md). Versions 7 and 8 are reserved for other changes; the runner
 * allows the gap.
 *
 * - `gold_clips`: the audio, what the package says of it (`details`: duration, codec, ASR text,
 *   hints; never an id), the reference transcript with `[CRITICAL:<category>]` markers and the
 *   reference disposition. Kept only here: nothing of `reference` or `disposition` is ever packed
 *   or answered. A removed gold clip is mixed no more; uses already made are still scored.
 * - `gold_uses`: each time a gold clip was mixed into a batch, under the fresh clip id it got
 *   there. The clip itself is an ordinary row of `batch_clips`.
 * - `gold_scores`: one row per annotation op of a gold use: the word counts against the
 *   reference and whether the disposition agreed. Numbers only; the latest revision counts.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'gold-clips',
  up(db) {
    db.exec(`
      CREATE TABLE gold_clips (
        gold_id     TEXT PRIMARY KEY,
        locale      TEXT NOT NULL,
        details     TEXT NOT NULL,
        audio       BLOB NOT NULL,
        reference   TEXT NOT NULL,
        disposition TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        created_by  TEXT NOT NULL,
        removed_at  INTEGER,
        removed_by  TEXT
      ) STRICT;

      CREATE TABLE gold_uses (
        batch_id TEXT NOT NULL,
        clip_id  TEXT NOT NULL,
        gold_id  TEXT NOT NULL REFERENCES gold_clips (gold_id),
        mixed_at INTEGER NOT NULL,
        mixed_by TEXT NOT NULL,
        PRIMARY KEY (batch_id, clip_id),
        FOREIGN KEY (batch_id, clip_id) REFERENCES batch_clips (batch_id, clip_id),
        UNIQUE (batch_id, gold_id)
      ) STRICT;

      CREATE TABLE gold_scores (
        op_id              TEXT PRIMARY KEY REFERENCES ops (op_id),
        account            TEXT NOT NULL REFERENCES accounts (account),
        batch_id           TEXT NOT NULL,
        clip_id            TEXT NOT NULL,
        revision           INTEGER NOT NULL CHECK (revision >= 1),
        ref_words          INTEGER NOT NULL CHECK (ref_words >= 0),
        correct            INTEGER NOT NULL CHECK (correct >= 0),
        substitutions      INTEGER NOT NULL CHECK (substitutions >= 0),
        deletions          INTEGER NOT NULL CHECK (deletions >= 0),
        insertions         INTEGER NOT NULL CHECK (insertions >= 0),
        disposition_agreed INTEGER NOT NULL CHECK (disposition_agreed IN (0, 1)),
        scored_at          INTEGER NOT NULL,
        FOREIGN KEY (batch_id, clip_id) REFERENCES gold_uses (batch_id, clip_id),
        UNIQUE (batch_id, clip_id, revision)
      ) STRICT;
      CREATE INDEX gold_scores_account ON gold_scores (account, batch_id, clip_id, revision);
    `);
  },
};
