import type { Migration } from './types';

/**
 * Sync with the annotation service. `outbox` holds one row per op to deliver (an annotation
 * revision, an escalation, an audit event), written in the same transaction as the work
 * itself and sent in `seq` order. It holds ids and facts only: the sealed bodies stay in
 * `annotations` and `escalations`, and are opened only to be sent.
 *
 * `sync_batches` marks the batches that came from the service (checkout or an offline
 * package) with what the service last said about them; work on any other batch (the demo
 * batch) is never sent. Before this version no service existed, so there is nothing to backfill.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'sync',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id       TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL CHECK (kind IN ('annotation', 'escalation', 'audit')),
        author      TEXT NOT NULL,
        batch_id    TEXT,
        clip_id     TEXT,
        revision    INTEGER CHECK (revision IS NULL OR revision >= 1),
        audit_type  TEXT,
        ref_op_id   TEXT,
        created_at  INTEGER NOT NULL,
        state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'parked')),
        attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        acked_at    INTEGER,
        server_seq  INTEGER,
        parked_at   INTEGER,
        park_reason TEXT CHECK (park_reason IN ('conflict', 'rejected')),
        CHECK (kind <> 'annotation' OR (batch_id IS NOT NULL AND clip_id IS NOT NULL AND revision IS NOT NULL)),
        CHECK (kind <> 'escalation' OR (batch_id IS NOT NULL AND clip_id IS NOT NULL)),
        CHECK (kind <> 'audit' OR audit_type IS NOT NULL),
        CHECK ((state = 'acked') = (acked_at IS NOT NULL)),
        CHECK ((state = 'parked') = (parked_at IS NOT NULL AND park_reason IS NOT NULL))
      ) STRICT;
      CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';
      CREATE INDEX outbox_batch ON outbox (batch_id, state);

      CREATE TABLE sync_batches (
        batch_id        TEXT PRIMARY KEY REFERENCES batches (id),
        source          TEXT NOT NULL CHECK (source IN ('checkout', 'offline')),
        service_status  TEXT CHECK (service_status IN ('active', 'expired', 'revoked')),
        checked_at      INTEGER,
        audio_purged_at INTEGER
      ) STRICT;
    `);
  },
};
