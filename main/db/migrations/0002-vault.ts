import type { Migration } from './types';

/**
 * The clip vault. Audio and clip metadata are stored only as AES-GCM ciphertext under the batch
 * key; the batch key only as it arrived, wrapped for this workstation's device key. Deleting a
 * batch_keys row is the crypto-erase. Quarantined clips keep a reason and no bytes.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'vault',
  up(db) {
    db.exec(`
      CREATE TABLE batch_keys (
        batch_id TEXT PRIMARY KEY REFERENCES batches (id) ON DELETE CASCADE,
        key_id   TEXT NOT NULL,
        wrap     BLOB NOT NULL
      ) STRICT;

      CREATE TABLE clips (
        batch_id  TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        clip_id   TEXT NOT NULL,
        ordinal   INTEGER NOT NULL CHECK (ordinal >= 0),
        state     TEXT NOT NULL CHECK (state IN ('ready', 'quarantined', 'purged')),
        reason    TEXT,
        audio_iv  BLOB,
        audio_tag BLOB,
        audio     BLOB,
        meta_iv   BLOB,
        meta_tag  BLOB,
        meta      BLOB,
        PRIMARY KEY (batch_id, clip_id),
        UNIQUE (batch_id, ordinal),
        CHECK (state <> 'ready' OR (audio IS NOT NULL AND meta IS NOT NULL)),
        CHECK (state = 'ready' OR audio IS NULL)
      ) STRICT;

      CREATE TABLE refused_clips (
        batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        clip_id  TEXT NOT NULL,
        reason   TEXT NOT NULL CHECK (reason IN ('consent_withdrawn')),
        PRIMARY KEY (batch_id, clip_id)
      ) STRICT;
    `);
  },
};
