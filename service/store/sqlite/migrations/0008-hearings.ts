import type { Migration } from './types';

/**
 * Hearing one clip outside a checkout. `listen_requests` is the team help queue of second
 * listens: the clip, the requester's span as offsets, the stretch of audio, and the one taker
 * and their proposal (the only text kept, erased with the clip when consent is withdrawn).
 * `clip_grants` records each one-clip package packed for an account's device, so a playback
 * report is taken only for a clip that account was given.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'hearings',
  up(db) {
    db.exec(`
      CREATE TABLE listen_requests (
        request_id   TEXT PRIMARY KEY,
        requester    TEXT NOT NULL REFERENCES accounts (account),
        batch_id     TEXT NOT NULL REFERENCES batches (batch_id),
        clip_id      TEXT NOT NULL,
        span_start   INTEGER NOT NULL,
        span_end     INTEGER NOT NULL,
        window_start INTEGER NOT NULL,
        window_end   INTEGER NOT NULL,
        created_at   INTEGER NOT NULL,
        taken_by     TEXT REFERENCES accounts (account),
        taken_at     INTEGER,
        proposal     TEXT,
        proposed_at  INTEGER,
        decision     TEXT CHECK (decision IN ('accepted', 'ignored')),
        decided_at   INTEGER,
        CHECK ((taken_by IS NULL) = (taken_at IS NULL)),
        CHECK ((proposal IS NULL) = (proposed_at IS NULL)),
        CHECK (proposal IS NULL OR taken_by IS NOT NULL),
        CHECK ((decision IS NULL) = (decided_at IS NULL))
      ) STRICT;
      CREATE INDEX listen_requests_requester ON listen_requests (requester, created_at);
      CREATE INDEX listen_requests_clip ON listen_requests (batch_id, clip_id);

      CREATE TABLE clip_grants (
        kind       TEXT NOT NULL CHECK (kind IN ('escalation', 'second_listen')),
        subject    TEXT NOT NULL,
        account    TEXT NOT NULL REFERENCES accounts (account),
        key_id     TEXT NOT NULL,
        batch_id   TEXT NOT NULL,
        clip_id    TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (kind, subject, account)
      ) STRICT;
    `);
  },
};
