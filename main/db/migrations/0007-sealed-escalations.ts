import type { Migration } from './types';

/**
 * An escalation's category told anyone with the database file which clips were escalated and
 * for what. It now travels sealed with the note, under associated data that binds the
 * escalation's id, batch and clip. The column stays, nullable, only for rows written before:
 * SQL cannot seal, so the annotation service re-seals each such row (and clears its category)
 * the first time the annotation key is at hand.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'sealed-escalations',
  up(db) {
    db.exec(`
      CREATE TABLE escalations_sealed (
        id         TEXT PRIMARY KEY,
        batch_id   TEXT NOT NULL REFERENCES batches (id),
        clip_id    TEXT NOT NULL,
        -- Only rows from before this version, until re-sealed; NULL for every new row.
        category   TEXT CHECK (category IS NULL OR category IN ('crime_or_abuse', 'self_harm', 'child_safety', 'other')),
        created_at INTEGER NOT NULL,
        note_iv    BLOB NOT NULL,
        note_tag   BLOB NOT NULL,
        note       BLOB NOT NULL,
        synced_at  INTEGER
      ) STRICT;
      INSERT INTO escalations_sealed (id, batch_id, clip_id, category, created_at, note_iv, note_tag, note, synced_at)
        SELECT id, batch_id, clip_id, category, created_at, note_iv, note_tag, note, synced_at FROM escalations;
      DROP TABLE escalations;
      ALTER TABLE escalations_sealed RENAME TO escalations;
    `);
  },
};
