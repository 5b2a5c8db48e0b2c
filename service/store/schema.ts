/**
 * The reference service's own database. It is a stand-in for a real annotation backend, but it
 * keeps the promises the protocol makes: a stored op is permanent, its id is unique forever,
 * and every bulk upload commits as one transaction (WAL, synchronous=FULL).
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';

export type ServiceDb = Db;

const SCHEMA_VERSION = 1;

const SCHEMA = `
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
`;

/** Opens (creating and seeding the schema of) the service database at `file`; ':memory:' works too. */
export function openServiceDb(file: string): ServiceDb {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`The service database has schema ${version}; this build knows ${SCHEMA_VERSION}.`);
    }
    if (version === 0) {
      db.transaction(() => {
        db.exec(SCHEMA);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
