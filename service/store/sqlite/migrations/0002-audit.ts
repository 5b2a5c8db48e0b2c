import type { Migration } from './types';

/**
 * The service's own audit trail: one row per security-relevant event (enrolment, approval,
 * refusal, revocation, checkout, consent withdrawal, admin action), with who, when and from
 * where. Append-only: triggers refuse UPDATE and DELETE, so not even a bug in the service can
 * rewrite it through this connection.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit_events (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        at       INTEGER NOT NULL,
        actor    TEXT,
        source   TEXT NOT NULL,
        action   TEXT NOT NULL,
        outcome  TEXT NOT NULL CHECK (outcome IN ('ok', 'refused')),
        code     TEXT,
        subject  TEXT,
        detail   TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX audit_events_action ON audit_events (action, seq);
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
    `);
  },
};
