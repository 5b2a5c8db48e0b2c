import type { Migration } from './types';

/**
 * One writer per clip, as the outbox sees it.
 *
 * - `base_revision` and `base_op_id`: the revision an annotation op amends in the service's
 *   history and that revision's op id (0 and null for a clip's first). Rows from before this
 *   version amend the revision saved before them here, which is what they were sent as.
 * - `source_op_id`: for an op resent on the service's current revision, the saved revision whose
 *   content it carries (the resend is a new op id with the service's next revision number).
 * - `park_code`, `current_revision`, `current_op_id`: why the service refused a parked op (the
 *   protocol's per-op code) and, for an annotation refused for its base, the clip's current
 *   revision on the service, which a resend builds on.
 * - `resolution`, `resolved_at`, `resolution_reason`: how the reviewer settled a parked op
 *   (`resent`, or `discarded` with the reason kept). A resolved row stays, never deleted.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'outbox-writer',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN base_revision INTEGER CHECK (base_revision IS NULL OR base_revision >= 0);
      ALTER TABLE outbox ADD COLUMN base_op_id TEXT;
      ALTER TABLE outbox ADD COLUMN source_op_id TEXT;
      ALTER TABLE outbox ADD COLUMN park_code TEXT;
      ALTER TABLE outbox ADD COLUMN current_revision INTEGER;
      ALTER TABLE outbox ADD COLUMN current_op_id TEXT;
      ALTER TABLE outbox ADD COLUMN resolution TEXT CHECK (resolution IS NULL OR resolution IN ('resent', 'discarded'));
      ALTER TABLE outbox ADD COLUMN resolved_at INTEGER;
      ALTER TABLE outbox ADD COLUMN resolution_reason TEXT;

      UPDATE outbox SET
        base_revision = revision - 1,
        base_op_id = (SELECT a.op_id FROM annotations a
                      WHERE a.batch_id = outbox.batch_id AND a.clip_id = outbox.clip_id AND a.revision = outbox.revision - 1)
      WHERE kind = 'annotation';
      UPDATE outbox SET park_code = park_reason WHERE state = 'parked' AND park_reason = 'conflict';

      CREATE INDEX outbox_clip ON outbox (batch_id, clip_id, seq) WHERE kind = 'annotation';
    `);
  },
};
