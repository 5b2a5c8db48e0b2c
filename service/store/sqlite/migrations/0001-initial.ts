import type { Migration } from './types';

/**
 * The first schema: accounts with their sessions and devices, batches and clips, ops with the
 * annotation revision index, timing records and the service key. Ops and revisions are never
 * updated or deleted: an op id, once stored, is unique forever.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        account           TEXT PRIMARY KEY,
        pseudonym         TEXT NOT NULL UNIQUE,
        role              TEXT NOT NULL CHECK (role IN ('reviewer', 'supervisor')),
        password_hash     TEXT NOT NULL,
        totp_secret       TEXT NOT NULL,
        totp_last_counter INTEGER NOT NULL DEFAULT -1,
        failed_attempts   INTEGER NOT NULL DEFAULT 0,
        locked_until      INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE sessions (
        token_hash  BLOB PRIMARY KEY,
        account     TEXT NOT NULL REFERENCES accounts (account),
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        ended_at    INTEGER,
        ops_stored  INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE devices (
        account        TEXT NOT NULL REFERENCES accounts (account),
        key_id         TEXT NOT NULL,
        encryption_key BLOB NOT NULL,
        signing_key    BLOB NOT NULL,
        enrolled_at    INTEGER NOT NULL,
        PRIMARY KEY (account, key_id)
      ) STRICT;

      CREATE TABLE batches (
        batch_id    TEXT PRIMARY KEY,
        assigned_to TEXT NOT NULL REFERENCES accounts (account),
        locale      TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        revoked_at  INTEGER
      ) STRICT;

      CREATE TABLE batch_clips (
        batch_id TEXT NOT NULL REFERENCES batches (batch_id),
        clip_id  TEXT NOT NULL,
        ordinal  INTEGER NOT NULL,
        details  TEXT NOT NULL,
        audio    BLOB,
        PRIMARY KEY (batch_id, clip_id)
      ) STRICT;

      CREATE TABLE ops (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id        TEXT NOT NULL UNIQUE,
        kind         TEXT NOT NULL CHECK (kind IN ('annotation', 'escalation', 'audit')),
        account      TEXT NOT NULL REFERENCES accounts (account),
        payload_hash BLOB NOT NULL,
        payload      TEXT NOT NULL,
        received_at  INTEGER NOT NULL,
        source       TEXT NOT NULL CHECK (source IN ('online', 'results_package'))
      ) STRICT;

      CREATE TABLE annotation_revisions (
        op_id    TEXT PRIMARY KEY REFERENCES ops (op_id),
        batch_id TEXT NOT NULL REFERENCES batches (batch_id),
        clip_id  TEXT NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        UNIQUE (batch_id, clip_id, revision)
      ) STRICT;

      CREATE TABLE current_annotations (
        batch_id TEXT NOT NULL REFERENCES batches (batch_id),
        clip_id  TEXT NOT NULL,
        revision INTEGER NOT NULL,
        op_id    TEXT NOT NULL REFERENCES ops (op_id),
        PRIMARY KEY (batch_id, clip_id)
      ) STRICT;

      CREATE TABLE timing_records (
        id          TEXT NOT NULL,
        account     TEXT NOT NULL REFERENCES accounts (account),
        kind        TEXT NOT NULL,
        body        TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (account, id)
      ) STRICT;

      CREATE TABLE service_keys (
        key_id      TEXT PRIMARY KEY,
        private_pem TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
