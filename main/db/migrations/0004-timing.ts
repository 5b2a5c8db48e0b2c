import type { Migration } from './types';

const eventKinds =
  "'shown', 'leave', 'play', 'pause', 'seek', 'replay', 'rate', 'heard', 'edit', 'disposition', 'tag', 'submit', 'escalate', 'idle', 'active'";
const dispositions = "'transcribed', 'no_wake_word', 'tv_media', 'noise_only', 'unintelligible', 'other_language'";
const flag = (column: string): string => `${column} INTEGER NOT NULL CHECK (${column} IN (0, 1))`;

/**
 * Timing events, per-clip metrics, shifts and breaks. Numbers, enum labels and ids only: no
 * transcript or audio, so nothing here is sealed.
 *
 * Every row carries `sync_seq`, drawn from one counter each time the row is written or changed,
 * and `synced`: a sync sender reads unsynced rows in `sync_seq` order and marks the seqs it
 * delivered, so a row changed after it was read (a shift that ended) is sent again.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'timing',
  up(db) {
    db.exec(`
      CREATE TABLE timing_sync_counter (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        value INTEGER NOT NULL
      ) STRICT;
      INSERT INTO timing_sync_counter (id, value) VALUES (1, 0);

      CREATE TABLE shifts (
        id               TEXT PRIMARY KEY,
        pseudonym        TEXT NOT NULL,
        started_at       INTEGER NOT NULL,
        start_reason     TEXT NOT NULL CHECK (start_reason IN ('sign_in', 'first_clip')),
        last_activity_at INTEGER NOT NULL,
        ended_at         INTEGER,
        end_reason       TEXT CHECK (end_reason IN ('sign_out', 'explicit', 'lapsed')),
        sync_seq         INTEGER NOT NULL UNIQUE,
        ${flag('synced')},
        CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
        CHECK (ended_at IS NULL OR ended_at >= started_at)
      ) STRICT;
      -- One open shift per workstation: a new one starts only once the last has ended.
      CREATE UNIQUE INDEX shifts_one_open ON shifts (ifnull(ended_at, 0)) WHERE ended_at IS NULL;
      CREATE INDEX shifts_started ON shifts (started_at);

      CREATE TABLE breaks (
        id         TEXT PRIMARY KEY,
        shift_id   TEXT NOT NULL REFERENCES shifts (id),
        trigger    TEXT NOT NULL CHECK (trigger IN ('manual', 'escalations', 'continuous_work')),
        started_at INTEGER NOT NULL,
        ended_at   INTEGER,
        ${flag('skipped')},
        sync_seq   INTEGER NOT NULL UNIQUE,
        ${flag('synced')},
        CHECK (ended_at IS NULL OR ended_at >= started_at),
        CHECK (skipped = 0 OR (trigger <> 'manual' AND ended_at = started_at))
      ) STRICT;
      CREATE UNIQUE INDEX breaks_one_open ON breaks (shift_id) WHERE ended_at IS NULL;

      -- One run of a renderer's monotonic clock; last_mono/last_seen_at say when it was last heard.
      CREATE TABLE timing_epochs (
        epoch         TEXT PRIMARY KEY,
        first_seen_at INTEGER NOT NULL,
        last_mono     REAL NOT NULL,
        last_seen_at  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE timing_events (
        id          INTEGER PRIMARY KEY,
        epoch       TEXT NOT NULL REFERENCES timing_epochs (epoch),
        seq         INTEGER NOT NULL CHECK (seq >= 0),
        kind        TEXT NOT NULL CHECK (kind IN (${eventKinds})),
        t_mono      REAL NOT NULL,
        at          INTEGER NOT NULL,
        shift_id    TEXT REFERENCES shifts (id),
        batch_id    TEXT,
        clip_id     TEXT,
        position_ms INTEGER,
        value       REAL,
        label       TEXT,
        sync_seq    INTEGER NOT NULL UNIQUE,
        ${flag('synced')},
        UNIQUE (epoch, seq)
      ) STRICT;
      CREATE INDEX timing_events_clip ON timing_events (batch_id, clip_id, id);
      CREATE INDEX timing_events_shift ON timing_events (shift_id, id);

      CREATE TABLE clip_metrics (
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
        disposition      TEXT NOT NULL CHECK (disposition IN (${dispositions})),
        ${flag('critical')},
        ${flag('escalated')},
        ${flag('heard_in_full')},
        sync_seq         INTEGER NOT NULL UNIQUE,
        ${flag('synced')},
        PRIMARY KEY (batch_id, clip_id, revision)
      ) STRICT;
      CREATE INDEX clip_metrics_shift ON clip_metrics (shift_id, submitted_at);

      -- What a sync sender has yet to deliver, in order, per table.
      CREATE INDEX shifts_unsynced ON shifts (sync_seq) WHERE synced = 0;
      CREATE INDEX breaks_unsynced ON breaks (sync_seq) WHERE synced = 0;
      CREATE INDEX timing_events_unsynced ON timing_events (sync_seq) WHERE synced = 0;
      CREATE INDEX clip_metrics_unsynced ON clip_metrics (sync_seq) WHERE synced = 0;
    `);
  },
};
