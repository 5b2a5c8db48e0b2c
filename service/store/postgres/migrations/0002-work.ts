import type { PgMigration } from './types';

/**
 * The work half of the schema, as the SQLite store holds it after its ninth migration: batches
 * and their clips, who holds them, ops and the annotation revision index, the device each op came
 * from and the service epoch, timing records, the escalation inbox, hearings and gold clips.
 *
 * - Ids are `COLLATE "C"`: lists ordered by id come out byte by byte, as in SQLite, whatever
 *   locale the cluster was made with.
 * - Times in ms and sequence numbers are BIGINT; payloads, clip details and timing bodies are
 *   TEXT, kept exactly as received (an op's canonical JSON is what its hash is of). The few
 *   fields queries select or sort by are copied into columns of their own when a row is written,
 *   rather than read as `jsonb`: jsonb refuses text SQLite and JSON take (an escaped NUL), and
 *   a payload the service accepted must never fail to store or to list.
 * - `ops.seq` comes from a sequence that only `ops.apply` draws from, under one advisory lock
 *   held to commit: sequence order is commit order, so an export cursor on it never skips a row.
 * - `ops_clip` finds the ops of one clip without reading every payload (consent withdrawal).
 */
export const pgMigration0002: PgMigration = {
  version: 2,
  name: 'work',
  sql: `
    CREATE TABLE batches (
      batch_id    TEXT COLLATE "C" PRIMARY KEY,
      assigned_to TEXT NOT NULL REFERENCES accounts (account),
      locale      TEXT NOT NULL,
      created_at  BIGINT NOT NULL,
      expires_at  BIGINT NOT NULL,
      revoked_at  BIGINT
    );
    CREATE INDEX batches_assigned_to ON batches (assigned_to, created_at, batch_id);

    CREATE TABLE batch_clips (
      batch_id TEXT COLLATE "C" NOT NULL REFERENCES batches (batch_id),
      clip_id  TEXT COLLATE "C" NOT NULL,
      ordinal  INTEGER NOT NULL,
      details  TEXT NOT NULL,
      audio    BYTEA,
      -- details.consent is 'withdrawn'
      withdrawn BOOLEAN NOT NULL,
      PRIMARY KEY (batch_id, clip_id)
    );
    CREATE INDEX batch_clips_ordinal ON batch_clips (batch_id, ordinal);

    CREATE TABLE checkouts (
      account      TEXT NOT NULL,
      key_id       TEXT COLLATE "C" NOT NULL,
      batch_id     TEXT COLLATE "C" NOT NULL REFERENCES batches (batch_id),
      at           BIGINT NOT NULL,
      revoked_at   BIGINT,
      released_at  BIGINT,
      release_kind TEXT CHECK (release_kind IN ('handed_over', 'forced')),
      released_by  TEXT,
      PRIMARY KEY (account, key_id, batch_id),
      FOREIGN KEY (account, key_id) REFERENCES devices (account, key_id)
    );
    CREATE UNIQUE INDEX checkouts_one_holder ON checkouts (batch_id) WHERE released_at IS NULL AND revoked_at IS NULL;
    CREATE INDEX checkouts_batch ON checkouts (batch_id);

    CREATE TABLE ops (
      seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      op_id        TEXT COLLATE "C" NOT NULL UNIQUE,
      kind         TEXT NOT NULL CHECK (kind IN ('annotation', 'escalation', 'audit')),
      account      TEXT NOT NULL REFERENCES accounts (account),
      payload_hash BYTEA NOT NULL,
      payload      TEXT NOT NULL,
      received_at  BIGINT NOT NULL,
      source       TEXT NOT NULL CHECK (source IN ('online', 'results_package')),
      -- Fields of the payload that queries select or sort by (null where absent or of another type).
      batch_id     TEXT COLLATE "C",
      clip_id      TEXT COLLATE "C",
      created_at   DOUBLE PRECISION,
      category     TEXT,
      -- The payload has a non-null "withdrawn" member: the erased tombstone of a withdrawn clip.
      withdrawn    BOOLEAN NOT NULL
    );
    CREATE INDEX ops_kind_account ON ops (kind, account, created_at);
    CREATE INDEX ops_clip ON ops (batch_id, clip_id) WHERE batch_id IS NOT NULL;

    CREATE TABLE annotation_revisions (
      op_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES ops (op_id),
      batch_id TEXT COLLATE "C" NOT NULL REFERENCES batches (batch_id),
      clip_id  TEXT COLLATE "C" NOT NULL,
      revision INTEGER NOT NULL CHECK (revision >= 1),
      UNIQUE (batch_id, clip_id, revision)
    );

    CREATE TABLE current_annotations (
      batch_id TEXT COLLATE "C" NOT NULL REFERENCES batches (batch_id),
      clip_id  TEXT COLLATE "C" NOT NULL,
      revision INTEGER NOT NULL,
      op_id    TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES ops (op_id),
      PRIMARY KEY (batch_id, clip_id)
    );

    CREATE TABLE op_devices (
      op_id   TEXT COLLATE "C" PRIMARY KEY REFERENCES ops (op_id),
      account TEXT NOT NULL,
      key_id  TEXT COLLATE "C" NOT NULL
    );
    CREATE INDEX op_devices_device ON op_devices (account, key_id);

    CREATE TABLE service_epoch (
      id         INTEGER PRIMARY KEY CHECK (id = 1),
      epoch      TEXT NOT NULL CHECK (length(epoch) = 32),
      changed_at BIGINT NOT NULL,
      changed_by TEXT
    );
    INSERT INTO service_epoch (id, epoch, changed_at) VALUES (1, replace(gen_random_uuid()::text, '-', ''), 0);

    CREATE TABLE timing_records (
      ord         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
      id          TEXT COLLATE "C" NOT NULL,
      account     TEXT NOT NULL REFERENCES accounts (account),
      kind        TEXT NOT NULL,
      body        TEXT NOT NULL,
      received_at BIGINT NOT NULL,
      -- Fields of the body that queries select by (null where absent or of another type).
      shift_id    TEXT COLLATE "C",
      batch_id    TEXT COLLATE "C",
      started_at  DOUBLE PRECISION,
      PRIMARY KEY (account, id)
    );
    CREATE INDEX timing_records_account_kind ON timing_records (account, kind);

    CREATE TABLE escalation_responses (
      seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      response_id  TEXT COLLATE "C" NOT NULL UNIQUE,
      op_id        TEXT COLLATE "C" NOT NULL REFERENCES ops (op_id),
      account      TEXT NOT NULL REFERENCES accounts (account),
      action       TEXT NOT NULL CHECK (action IN ('acknowledge', 'refer', 'close', 'guidance')),
      body_hash    BYTEA NOT NULL,
      body         TEXT NOT NULL,
      status_after TEXT NOT NULL CHECK (status_after IN ('open', 'acknowledged', 'referred', 'closed')),
      at           BIGINT NOT NULL
    );
    CREATE INDEX escalation_responses_op ON escalation_responses (op_id, seq);

    CREATE TABLE escalation_states (
      op_id      TEXT COLLATE "C" PRIMARY KEY REFERENCES ops (op_id),
      status     TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'referred', 'closed')),
      updated_at BIGINT NOT NULL
    );

    CREATE TABLE inbox_settings (
      key        TEXT PRIMARY KEY CHECK (key IN ('urgentAfterMs', 'referralTargets')),
      value      TEXT NOT NULL,
      changed_at BIGINT NOT NULL,
      changed_by TEXT NOT NULL
    );

    CREATE TABLE listen_requests (
      request_id   TEXT COLLATE "C" PRIMARY KEY,
      requester    TEXT NOT NULL REFERENCES accounts (account),
      batch_id     TEXT COLLATE "C" NOT NULL REFERENCES batches (batch_id),
      clip_id      TEXT COLLATE "C" NOT NULL,
      span_start   INTEGER NOT NULL,
      span_end     INTEGER NOT NULL,
      window_start BIGINT NOT NULL,
      window_end   BIGINT NOT NULL,
      created_at   BIGINT NOT NULL,
      taken_by     TEXT REFERENCES accounts (account),
      taken_at     BIGINT,
      proposal     TEXT,
      proposed_at  BIGINT,
      decision     TEXT CHECK (decision IN ('accepted', 'ignored')),
      decided_at   BIGINT,
      CHECK ((taken_by IS NULL) = (taken_at IS NULL)),
      CHECK ((proposal IS NULL) = (proposed_at IS NULL)),
      CHECK (proposal IS NULL OR taken_by IS NOT NULL),
      CHECK ((decision IS NULL) = (decided_at IS NULL))
    );
    CREATE INDEX listen_requests_requester ON listen_requests (requester, created_at);
    CREATE INDEX listen_requests_clip ON listen_requests (batch_id, clip_id);
    CREATE INDEX listen_requests_taken_by ON listen_requests (taken_by, proposed_at);

    CREATE TABLE clip_grants (
      kind       TEXT NOT NULL CHECK (kind IN ('escalation', 'second_listen')),
      subject    TEXT COLLATE "C" NOT NULL,
      account    TEXT NOT NULL REFERENCES accounts (account),
      key_id     TEXT COLLATE "C" NOT NULL,
      batch_id   TEXT COLLATE "C" NOT NULL,
      clip_id    TEXT COLLATE "C" NOT NULL,
      granted_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      PRIMARY KEY (kind, subject, account)
    );

    CREATE TABLE gold_clips (
      gold_id     TEXT COLLATE "C" PRIMARY KEY,
      locale      TEXT NOT NULL,
      details     TEXT NOT NULL,
      duration_ms DOUBLE PRECISION,
      audio       BYTEA NOT NULL,
      reference   TEXT NOT NULL,
      disposition TEXT NOT NULL,
      created_at  BIGINT NOT NULL,
      created_by  TEXT NOT NULL,
      removed_at  BIGINT,
      removed_by  TEXT
    );

    CREATE TABLE gold_uses (
      batch_id TEXT COLLATE "C" NOT NULL,
      clip_id  TEXT COLLATE "C" NOT NULL,
      gold_id  TEXT COLLATE "C" NOT NULL REFERENCES gold_clips (gold_id),
      mixed_at BIGINT NOT NULL,
      mixed_by TEXT NOT NULL,
      PRIMARY KEY (batch_id, clip_id),
      FOREIGN KEY (batch_id, clip_id) REFERENCES batch_clips (batch_id, clip_id),
      UNIQUE (batch_id, gold_id)
    );
    CREATE INDEX gold_uses_gold ON gold_uses (gold_id);

    CREATE TABLE gold_scores (
      op_id              TEXT COLLATE "C" PRIMARY KEY REFERENCES ops (op_id),
      account            TEXT NOT NULL REFERENCES accounts (account),
      batch_id           TEXT COLLATE "C" NOT NULL,
      clip_id            TEXT COLLATE "C" NOT NULL,
      revision           INTEGER NOT NULL CHECK (revision >= 1),
      ref_words          INTEGER NOT NULL CHECK (ref_words >= 0),
      correct            INTEGER NOT NULL CHECK (correct >= 0),
      substitutions      INTEGER NOT NULL CHECK (substitutions >= 0),
      deletions          INTEGER NOT NULL CHECK (deletions >= 0),
      insertions         INTEGER NOT NULL CHECK (insertions >= 0),
      disposition_agreed BOOLEAN NOT NULL,
      scored_at          BIGINT NOT NULL,
      FOREIGN KEY (batch_id, clip_id) REFERENCES gold_uses (batch_id, clip_id),
      UNIQUE (batch_id, clip_id, revision)
    );
    CREATE INDEX gold_scores_account ON gold_scores (account, batch_id, clip_id, revision);
  `,
};
