import type { Migration } from './types';

/**
 * Reviewers' work. Transcripts, spans and notes are stored only as AES-GCM ciphertext under the
 * workstation's annotation key (not the batch key: unsynced work must outlive a batch's
 * crypto-erase). Revisions are append-only; an amendment adds the next revision.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'annotations',
  up(db) {
    db.exec(`
      CREATE TABLE annotations (
        batch_id     TEXT NOT NULL REFERENCES batches (id),
        clip_id      TEXT NOT NULL,
        revision     INTEGER NOT NULL CHECK (revision >= 1),
        op_id        TEXT NOT NULL UNIQUE,
        disposition  TEXT NOT NULL CHECK (disposition IN
                       ('transcribed', 'no_wake_word', 'tv_media', 'noise_only', 'unintelligible', 'other_language')),
        critical     INTEGER NOT NULL CHECK (critical IN (0, 1)),
        submitted_at INTEGER NOT NULL,
        body_iv      BLOB NOT NULL,
        body_tag     BLOB NOT NULL,
        body         BLOB NOT NULL,
        synced_at    INTEGER,
        PRIMARY KEY (batch_id, clip_id, revision)
      ) STRICT;

      CREATE TABLE drafts (
        batch_id          TEXT NOT NULL REFERENCES batches (id),
        clip_id           TEXT NOT NULL,
        based_on_revision INTEGER NOT NULL CHECK (based_on_revision >= 0),
        saved_at          INTEGER NOT NULL,
        body_iv           BLOB NOT NULL,
        body_tag          BLOB NOT NULL,
        body              BLOB NOT NULL,
        PRIMARY KEY (batch_id, clip_id)
      ) STRICT;

      CREATE TABLE review_positions (
        batch_id   TEXT PRIMARY KEY REFERENCES batches (id),
        clip_id    TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE escalations (
        id         TEXT PRIMARY KEY,
        batch_id   TEXT NOT NULL REFERENCES batches (id),
        clip_id    TEXT NOT NULL,
        category   TEXT NOT NULL CHECK (category IN ('crime_or_abuse', 'self_harm', 'child_safety', 'other')),
        created_at INTEGER NOT NULL,
        note_iv    BLOB NOT NULL,
        note_tag   BLOB NOT NULL,
        note       BLOB NOT NULL,
        synced_at  INTEGER
      ) STRICT;
    `);
  },
};
