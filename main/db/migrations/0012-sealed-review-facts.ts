import type { Migration } from './types';

const dispositions = "'transcribed', 'no_wake_word', 'tv_media', 'noise_only', 'unintelligible', 'other_language'";
const legacyFlag = (column: string): string => `${column} INTEGER CHECK (${column} IS NULL OR ${column} IN (0, 1))`;

/**
 * A revision's disposition and critical flag, and a clip's metrics flags (disposition, critical,
 * escalated), told anyone with the database file which clips held critical data or were
 * escalated. They now travel sealed under the annotation key: a revision's disposition inside its
 * body, whose associated data also binds the revision, and the metrics flags in `flags`, bound to
 * the clip and revision. The plain columns stay, nullable, only for rows written before: SQL
 * cannot seal, so the app re-seals each such row (and clears its columns) the first time the
 * annotation key is at hand.
 *
 * `annotations.erased_at` marks the revisions of a clip whose consent was withdrawn after import:
 * the row keeps its ids (so counts of committed work never go down) and its body is emptied.
 * `refused_clips.erased_at` tells such a clip from one refused at import.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'sealed-review-facts',
  up(db) {
    db.exec(`
      CREATE TABLE annotations_sealed (
        batch_id     TEXT NOT NULL REFERENCES batches (id),
        clip_id      TEXT NOT NULL,
        revision     INTEGER NOT NULL CHECK (revision >= 1),
        op_id        TEXT NOT NULL UNIQUE,
        -- Only rows from before this version, until re-sealed; NULL for every new row.
        disposition  TEXT CHECK (disposition IS NULL OR disposition IN (${dispositions})),
        ${legacyFlag('critical')},
        submitted_at INTEGER NOT NULL,
        body_iv      BLOB NOT NULL,
        body_tag     BLOB NOT NULL,
        body         BLOB NOT NULL,
        synced_at    INTEGER,
        erased_at    INTEGER,
        CHECK ((disposition IS NULL) = (critical IS NULL)),
        CHECK (erased_at IS NULL OR (length(body) = 0 AND disposition IS NULL)),
        PRIMARY KEY (batch_id, clip_id, revision)
      ) STRICT;
      INSERT INTO annotations_sealed (batch_id, clip_id, revision, op_id, disposition, critical, submitted_at,
                                      body_iv, body_tag, body, synced_at)
        SELECT batch_id, clip_id, revision, op_id, disposition, critical, submitted_at, body_iv, body_tag, body, synced_at
        FROM annotations;
      DROP TABLE annotations;
      ALTER TABLE annotations_sealed RENAME TO annotations;

      CREATE TABLE clip_metrics_sealed (
        batch_id         TEXT NOT NULL,
        clip_id          TEXT NOT NULL,
        revision         INTEGER NOT NULL CHECK (revision >= 1),
        shift_id         TEXT REFERENCES shifts (id),
        through_event_id INTEGER NOT NULL,
        submitted_at     INTEGER NOT NULL,
        duration_ms      INTEGER NOT NULL CHECK (duration_ms >= 0),
        handle_ms        INTEGER NOT NULL CHECK (handle_ms >= 0),
        active_ms        INTEGER NOT NULL CHECK (active_ms >= 0 AND active_ms <= handle_ms),
        idle_ms          INTEGER NOT NULL CHECK (idle_ms >= 0),
        listen_ms        INTEGER NOT NULL CHECK (listen_ms >= 0),
        real_time_factor REAL,
        plays            INTEGER NOT NULL CHECK (plays >= 0),
        replays          INTEGER NOT NULL CHECK (replays >= 0),
        seeks            INTEGER NOT NULL CHECK (seeks >= 0),
        rate_changes     INTEGER NOT NULL CHECK (rate_changes >= 0),
        edits            INTEGER NOT NULL CHECK (edits >= 0),
        first_edit_ms    INTEGER,
        wer              REAL,
        word_errors      INTEGER NOT NULL CHECK (word_errors >= 0),
        reference_words  INTEGER NOT NULL CHECK (reference_words >= 0),
        -- Only rows from before this version, until re-sealed; NULL for every new row.
        disposition      TEXT CHECK (disposition IS NULL OR disposition IN (${dispositions})),
        ${legacyFlag('critical')},
        ${legacyFlag('escalated')},
        flags_iv         BLOB,
        flags_tag        BLOB,
        flags            BLOB,
        heard_in_full    INTEGER NOT NULL CHECK (heard_in_full IN (0, 1)),
        sync_seq         INTEGER NOT NULL UNIQUE,
        synced           INTEGER NOT NULL CHECK (synced IN (0, 1)),
        CHECK ((disposition IS NULL) = (critical IS NULL) AND (disposition IS NULL) = (escalated IS NULL)),
        CHECK ((disposition IS NULL) = (flags IS NOT NULL)),
        PRIMARY KEY (batch_id, clip_id, revision)
      ) STRICT;
      INSERT INTO clip_metrics_sealed (batch_id, clip_id, revision, shift_id, through_event_id, submitted_at, duration_ms,
          handle_ms, active_ms, idle_ms, listen_ms, real_time_factor, plays, replays, seeks, rate_changes, edits,
          first_edit_ms, wer, word_errors, reference_words, disposition, critical, escalated, heard_in_full, sync_seq, synced)
        SELECT batch_id, clip_id, revision, shift_id, through_event_id, submitted_at, duration_ms,
          handle_ms, active_ms, idle_ms, listen_ms, real_time_factor, plays, replays, seeks, rate_changes, edits,
          first_edit_ms, wer, word_errors, reference_words, disposition, critical, escalated, heard_in_full, sync_seq, synced
        FROM clip_metrics;
      DROP TABLE clip_metrics;
      ALTER TABLE clip_metrics_sealed RENAME TO clip_metrics;
      CREATE INDEX clip_metrics_shift ON clip_metrics (shift_id, submitted_at);
      CREATE INDEX clip_metrics_unsynced ON clip_metrics (sync_seq) WHERE synced = 0;

      ALTER TABLE refused_clips ADD COLUMN erased_at INTEGER;
    `);
  },
};
