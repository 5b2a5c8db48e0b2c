import type { Migration } from './types';

/**
 * A supervisor's answers to escalations wait here until the service takes them, like ops in the
 * outbox: each under the response id made when it was given, so a resend is a duplicate on the
 * service. What an answer says (a referral target, a close reason, guidance) is sealed in `body`
 * under a key derived from the device key, and emptied once the service holds it.
 *
 * `escalation_notices` remembers, per reviewer, when they last saw the answers to their own
 * escalations, so the next sign-in tells them only what is new.
 */
export const migration0013: Migration = {
  version: 13,
  name: 'escalation-answers',
  up(db) {
    db.exec(`
      CREATE TABLE escalation_answers (
        response_id TEXT PRIMARY KEY,
        author      TEXT NOT NULL,
        op_id       TEXT NOT NULL,
        action      TEXT NOT NULL CHECK (action IN ('acknowledge', 'refer', 'close', 'guidance')),
        body        BLOB NOT NULL,
        created_at  INTEGER NOT NULL,
        state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'refused')),
        attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        problem     TEXT,
        settled_at  INTEGER
      ) STRICT;
      CREATE INDEX escalation_answers_author ON escalation_answers (author, state, created_at);

      CREATE TABLE escalation_notices (
        author  TEXT PRIMARY KEY,
        seen_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
