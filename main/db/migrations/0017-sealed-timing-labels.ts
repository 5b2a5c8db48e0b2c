import type { Migration } from './types';

const eventKinds =
  "'shown', 'leave', 'play', 'pause', 'seek', 'replay', 'rate', 'heard', 'edit', 'disposition', 'tag', 'submit', 'escalate', 'idle', 'active'";

/**
 * Two things still told anyone with the database file what a clip held:
 *
 * - A timing event's `label` (the disposition chosen, the critical-data category tagged) and the
 *   kinds `disposition`, `tag` and `escalate` themselves. A new event with a label, or of one of
 *   those kinds, now keeps its kind and label sealed in `detail` (for the device public key, so
 *   events that arrive while the app is locked are sealed too; `detail_key` is the wrapped data
 *   key) and stores the neutral kind `mark` when its own kind reveals something. Nothing on this
 *   workstation reads a label back; only the upload opens it.
 * - An escalation row named its clip: it now names a keyed reference (`clip_ref`, an HMAC of
 *   the batch and clip under a key derived from the device key), the clip id travels inside the
 *   sealed note, and the escalation's outbox row holds the same reference in `clip_id`.
 *
 * The plain columns stay, nullable, only for rows written before: SQL can neither seal nor key a
 * MAC, so the app re-seals each such row the first time the device key is at hand.
 */
export const migration0017: Migration = {
  version: 17,
  name: 'sealed-timing-labels',
  up(db) {
    db.exec(`
      CREATE TABLE timing_events_sealed (
        id          INTEGER PRIMARY KEY,
        epoch       TEXT NOT NULL REFERENCES timing_epochs (epoch),
        seq         INTEGER NOT NULL CHECK (seq >= 0),
        kind        TEXT NOT NULL CHECK (kind IN (${eventKinds}, 'mark')),
        t_mono      REAL NOT NULL,
        at          INTEGER NOT NULL,
        shift_id    TEXT REFERENCES shifts (id),
        batch_id    TEXT,
        clip_id     TEXT,
        position_ms INTEGER,
        value       REAL,
        -- Only rows from before this version, until re-sealed; NULL for every new row.
        label       TEXT,
        detail_key  BLOB,
        detail_iv   BLOB,
        detail_tag  BLOB,
        detail      BLOB,
        sync_seq    INTEGER NOT NULL UNIQUE,
        synced      INTEGER NOT NULL CHECK (synced IN (0, 1)),
        CHECK ((detail IS NULL) = (detail_key IS NULL)),
        CHECK (label IS NULL OR detail IS NULL),
        CHECK (kind <> 'mark' OR detail IS NOT NULL),
        UNIQUE (epoch, seq)
      ) STRICT;
      INSERT INTO timing_events_sealed (id, epoch, seq, kind, t_mono, at, shift_id, batch_id, clip_id, position_ms, value,
                                        label, sync_seq, synced)
        SELECT id, epoch, seq, kind, t_mono, at, shift_id, batch_id, clip_id, position_ms, value, label, sync_seq, synced
        FROM timing_events;
      DROP TABLE timing_events;
      ALTER TABLE timing_events_sealed RENAME TO timing_events;
      CREATE INDEX timing_events_clip ON timing_events (batch_id, clip_id, id);
      CREATE INDEX timing_events_shift ON timing_events (shift_id, id);
      CREATE INDEX timing_events_unsynced ON timing_events (sync_seq) WHERE synced = 0;

      CREATE TABLE escalations_ref (
        id         TEXT PRIMARY KEY,
        batch_id   TEXT NOT NULL REFERENCES batches (id),
        -- Only rows from before this version, until re-sealed; NULL for every new row.
        clip_id    TEXT,
        clip_ref   TEXT,
        -- Only rows from before migration 0007, until re-sealed.
        category   TEXT CHECK (category IS NULL OR category IN ('crime_or_abuse', 'self_harm', 'child_safety', 'other')),
        created_at INTEGER NOT NULL,
        note_iv    BLOB NOT NULL,
        note_tag   BLOB NOT NULL,
        note       BLOB NOT NULL,
        synced_at  INTEGER,
        CHECK ((clip_id IS NULL) <> (clip_ref IS NULL)),
        CHECK (category IS NULL OR clip_id IS NOT NULL)
      ) STRICT;
      INSERT INTO escalations_ref (id, batch_id, clip_id, category, created_at, note_iv, note_tag, note, synced_at)
        SELECT id, batch_id, clip_id, category, created_at, note_iv, note_tag, note, synced_at FROM escalations;
      DROP TABLE escalations;
      ALTER TABLE escalations_ref RENAME TO escalations;
      CREATE INDEX escalations_clip_ref ON escalations (batch_id, clip_ref);
      CREATE INDEX escalations_created ON escalations (created_at);
    `);
  },
};
