import type { PgMigration } from './types';

/**
 * Who may use the service, on PostgreSQL: the tables of the SQLite store's migrations 0001–0003,
 * 0006 and 0010 as they stand today, in one step (this store has no older history to replay).
 *
 * - Times are BIGINT milliseconds, hashes and keys BYTEA, and JSON is kept as the TEXT received so
 *   it reads back byte for byte as SQLite gives it.
 * - `accounts` (reviewers, supervisors) and `operators` are separate tables, as in SQLite, so the
 *   other tables' foreign keys to `accounts` still keep operators out; a name is unique across
 *   both, which the store enforces under an advisory lock (service/store/postgres/account.repository.ts).
 * - `audit_events` is append-only: triggers refuse UPDATE, DELETE and TRUNCATE.
 * - `fault_switch` is one row: the fault the service plays and its counters, shared by every
 *   service process on the database.
 */
export const pgMigration0001: PgMigration = {
  version: 1,
  name: 'identity',
  sql: `
    CREATE TABLE accounts (
      account           TEXT PRIMARY KEY,
      pseudonym         TEXT NOT NULL UNIQUE,
      role              TEXT NOT NULL CHECK (role IN ('reviewer', 'supervisor')),
      password_hash     TEXT NOT NULL,
      totp_secret       TEXT NOT NULL,
      totp_last_counter BIGINT NOT NULL DEFAULT -1,
      max_devices       INTEGER NOT NULL DEFAULT 1 CHECK (max_devices >= 0),
      disabled_at       BIGINT
    );

    CREATE TABLE operators (
      account           TEXT PRIMARY KEY,
      pseudonym         TEXT NOT NULL UNIQUE,
      password_hash     TEXT NOT NULL,
      totp_secret       TEXT NOT NULL,
      totp_last_counter BIGINT NOT NULL DEFAULT -1,
      created_at        BIGINT NOT NULL,
      created_by        TEXT,
      disabled_at       BIGINT
    );

    CREATE TABLE sessions (
      token_hash  BYTEA PRIMARY KEY,
      account     TEXT NOT NULL,
      key_id      TEXT NOT NULL,
      signing_key BYTEA NOT NULL,
      created_at  BIGINT NOT NULL,
      expires_at  BIGINT NOT NULL,
      ended_at    BIGINT,
      ops_stored  BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX sessions_account ON sessions (account);

    CREATE TABLE devices (
      account        TEXT NOT NULL REFERENCES accounts (account),
      key_id         TEXT NOT NULL,
      encryption_key BYTEA NOT NULL,
      signing_key    BYTEA NOT NULL,
      enrolled_at    BIGINT NOT NULL,
      state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'revoked')),
      decided_at     BIGINT,
      decided_by     TEXT,
      PRIMARY KEY (account, key_id)
    );

    CREATE TABLE enrolment_codes (
      code_hash  BYTEA PRIMARY KEY,
      account    TEXT NOT NULL REFERENCES accounts (account),
      issued_by  TEXT NOT NULL,
      issued_at  BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      used_at    BIGINT,
      used_by    TEXT
    );

    CREATE TABLE enrolment_attempts (
      seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account TEXT NOT NULL,
      at      BIGINT NOT NULL
    );
    CREATE INDEX enrolment_attempts_account ON enrolment_attempts (account, at);

    CREATE TABLE sign_in_challenges (
      challenge_hash BYTEA PRIMARY KEY,
      expires_at     BIGINT NOT NULL
    );
    CREATE INDEX sign_in_challenges_expiry ON sign_in_challenges (expires_at);

    CREATE TABLE sign_in_failures (
      seq    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name   TEXT NOT NULL,
      source TEXT NOT NULL,
      at     BIGINT NOT NULL
    );
    CREATE INDEX sign_in_failures_pair ON sign_in_failures (name, source, at);
    CREATE INDEX sign_in_failures_source ON sign_in_failures (source, at);
    CREATE INDEX sign_in_failures_name ON sign_in_failures (name, at);
    CREATE INDEX sign_in_failures_at ON sign_in_failures (at);

    CREATE TABLE service_keys (
      key_id      TEXT PRIMARY KEY,
      private_pem TEXT NOT NULL,
      created_at  BIGINT NOT NULL
    );

    CREATE TABLE audit_events (
      seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at      BIGINT NOT NULL,
      actor   TEXT,
      source  TEXT NOT NULL,
      action  TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused')),
      code    TEXT,
      subject TEXT,
      detail  TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_events_action ON audit_events (action, seq);
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
      END
    $$;
    CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

    CREATE TABLE teams (
      team       TEXT PRIMARY KEY,
      created_at BIGINT NOT NULL,
      created_by TEXT NOT NULL
    );

    CREATE TABLE team_members (
      team     TEXT NOT NULL REFERENCES teams (team),
      account  TEXT NOT NULL REFERENCES accounts (account),
      role     TEXT NOT NULL CHECK (role IN ('member', 'supervisor')),
      added_at BIGINT NOT NULL,
      added_by TEXT NOT NULL,
      PRIMARY KEY (team, account)
    );
    CREATE INDEX team_members_account ON team_members (account, role);

    CREATE TABLE fault_switch (
      id            INTEGER PRIMARY KEY CHECK (id = 1),
      fault         TEXT NOT NULL,
      delay_ms      BIGINT NOT NULL,
      retry_after_s BIGINT NOT NULL,
      after_ops     BIGINT NOT NULL,
      every         BIGINT NOT NULL,
      uploads       BIGINT NOT NULL DEFAULT 0,
      token_expired BOOLEAN NOT NULL DEFAULT false
    );
    INSERT INTO fault_switch (id, fault, delay_ms, retry_after_s, after_ops, every) VALUES (1, 'none', 0, 1, 0, 2);
  `,
};
