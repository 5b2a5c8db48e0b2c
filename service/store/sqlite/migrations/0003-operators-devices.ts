import type { Migration } from './types';

/**
 * Named operators, approved devices, device-bound sessions and sign-in counters kept in the store.
 *
 * - `operators`: operator accounts (password and TOTP like everyone's). They live in a table of
 *   their own because the `role` CHECK of `accounts` cannot be widened without rebuilding every
 *   table that references `accounts`, and SQLite refuses that inside the migration's
 *   transaction. Account names are unique across both tables (the store checks it).
 * - `accounts` gain `max_devices` (approved devices the account may hold) and `disabled_at`.
 * - `devices` gain a state: every key starts `pending`; devices enrolled before this version are
 *   pending too, so none is trusted without an operator's word.
 * - `sessions` are rebuilt bound to the device key that signed in (no session survives: they
 *   were not bound to anything), and without a foreign key so operators can hold one.
 * - `checkouts` record which device took which batch, so revoking a device revokes them.
 * - `enrolment_codes`, `enrolment_attempts`, `sign_in_challenges` and `sign_in_failures` hold
 *   what sign-in and enrolment count and spend; nothing of it is kept in memory.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'operators-devices',
  up(db) {
    db.exec(`
      CREATE TABLE operators (
        account           TEXT PRIMARY KEY,
        pseudonym         TEXT NOT NULL UNIQUE,
        password_hash     TEXT NOT NULL,
        totp_secret       TEXT NOT NULL,
        totp_last_counter INTEGER NOT NULL DEFAULT -1,
        created_at        INTEGER NOT NULL,
        created_by        TEXT,
        disabled_at       INTEGER
      ) STRICT;

      ALTER TABLE accounts ADD COLUMN max_devices INTEGER NOT NULL DEFAULT 1 CHECK (max_devices >= 0);
      ALTER TABLE accounts ADD COLUMN disabled_at INTEGER;

      ALTER TABLE devices ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'approved', 'revoked'));
      ALTER TABLE devices ADD COLUMN decided_at INTEGER;
      ALTER TABLE devices ADD COLUMN decided_by TEXT;

      DROP TABLE sessions;
      CREATE TABLE sessions (
        token_hash  BLOB PRIMARY KEY,
        account     TEXT NOT NULL,
        key_id      TEXT NOT NULL,
        signing_key BLOB NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        ended_at    INTEGER,
        ops_stored  INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE checkouts (
        account    TEXT NOT NULL,
        key_id     TEXT NOT NULL,
        batch_id   TEXT NOT NULL REFERENCES batches (batch_id),
        at         INTEGER NOT NULL,
        revoked_at INTEGER,
        PRIMARY KEY (account, key_id, batch_id),
        FOREIGN KEY (account, key_id) REFERENCES devices (account, key_id)
      ) STRICT;

      CREATE TABLE enrolment_codes (
        code_hash  BLOB PRIMARY KEY,
        account    TEXT NOT NULL REFERENCES accounts (account),
        issued_by  TEXT NOT NULL,
        issued_at  INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER,
        used_by    TEXT
      ) STRICT;

      CREATE TABLE enrolment_attempts (
        seq     INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        at      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX enrolment_attempts_account ON enrolment_attempts (account, at);

      CREATE TABLE sign_in_challenges (
        challenge_hash BLOB PRIMARY KEY,
        expires_at     INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sign_in_failures (
        seq    INTEGER PRIMARY KEY AUTOINCREMENT,
        name   TEXT NOT NULL,
        source TEXT NOT NULL,
        at     INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sign_in_failures_pair ON sign_in_failures (name, source, at);
      CREATE INDEX sign_in_failures_source ON sign_in_failures (source, at);
      CREATE INDEX sign_in_failures_name ON sign_in_failures (name, at);
    `);
  },
};
