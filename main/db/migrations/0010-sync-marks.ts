import type { Migration } from './types';

/**
 * What this workstation was acknowledged by each service, to notice a service that lost ops.
 *
 * `sync_marks` holds, per service origin and reviewer, the highest `serverSeq` and the number
 * of ops the service acknowledged, the service's epoch last seen, and the last loss found and
 * what was done about it (resent, unrecoverable). Existing acknowledged ops are counted for the
 * service this device last enrolled with (`sync.enrolled`), so their loss is noticed too.
 *
 * `sync_batches.erased_at` is when the batch's content left the workstation (revoked, expired
 * or its audio purged): acknowledged ops are kept for resending until their batch is erased
 * and 14 days have passed. Batches erased before this version take the time the service's
 * word was last checked, or their audio was purged.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'sync-marks',
  up(db) {
    db.exec(`
      CREATE TABLE sync_marks (
        service        TEXT NOT NULL,
        author         TEXT NOT NULL,
        epoch          TEXT,
        high_seq       INTEGER NOT NULL DEFAULT 0 CHECK (high_seq >= 0),
        acked          INTEGER NOT NULL DEFAULT 0 CHECK (acked >= 0),
        recovery_state TEXT NOT NULL DEFAULT 'none' CHECK (recovery_state IN ('none', 'recovering', 'recovered')),
        recovery_at    INTEGER,
        resent         INTEGER NOT NULL DEFAULT 0 CHECK (resent >= 0),
        unrecoverable  INTEGER NOT NULL DEFAULT 0 CHECK (unrecoverable >= 0),
        PRIMARY KEY (service, author)
      ) STRICT;

      INSERT INTO sync_marks (service, author, high_seq, acked)
        SELECT substr(s.value, 1, instr(s.value, '|') - 1), o.author, coalesce(max(o.server_seq), 0), count(*)
        FROM outbox o JOIN settings s ON s.key = 'sync.enrolled' AND instr(s.value, '|') > 1
        WHERE o.state = 'acked'
        GROUP BY o.author;

      ALTER TABLE sync_batches ADD COLUMN erased_at INTEGER;
      UPDATE sync_batches SET erased_at = coalesce(audio_purged_at, checked_at)
        WHERE audio_purged_at IS NOT NULL OR service_status IN ('revoked', 'expired');
    `);
  },
};
