import type { Migration } from './types';

/**
 * The escalation inbox: supervisors' answers to escalations (each under an id the workstation
 * made, kept for good with the hash of its body so a retry is a duplicate and a changed body a
 * conflict), the status each answer left its escalation in, and the operator's inbox settings
 * (urgent time, referral targets) as one JSON row per key.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'escalation-responses',
  up(db) {
    db.exec(`
      CREATE TABLE escalation_responses (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        response_id  TEXT NOT NULL UNIQUE,
        op_id        TEXT NOT NULL REFERENCES ops (op_id),
        account      TEXT NOT NULL REFERENCES accounts (account),
        action       TEXT NOT NULL CHECK (action IN ('acknowledge', 'refer', 'close', 'guidance')),
        body_hash    BLOB NOT NULL,
        body         TEXT NOT NULL,
        status_after TEXT NOT NULL CHECK (status_after IN ('open', 'acknowledged', 'referred', 'closed')),
        at           INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX escalation_responses_op ON escalation_responses (op_id, seq);

      CREATE TABLE escalation_states (
        op_id      TEXT PRIMARY KEY REFERENCES ops (op_id),
        status     TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'referred', 'closed')),
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE inbox_settings (
        key        TEXT PRIMARY KEY CHECK (key IN ('urgentAfterMs', 'referralTargets')),
        value      TEXT NOT NULL,
        changed_at INTEGER NOT NULL,
        changed_by TEXT NOT NULL
      ) STRICT;

      CREATE INDEX ops_kind_account ON ops (kind, account);
    `);
  },
};
