/**
 * SQL for what each service acknowledged to this workstation (migration 0010): per service
 * origin and reviewer, the highest `serverSeq` and how many ops, the service's epoch last seen,
 * and the last loss found and what was done about it.
 */
import type { RecoveryState, SyncRecovery } from '../../../shared/domain/sync';
import type { Connection } from '../connection';

/** What the client was acknowledged: the epoch it was acknowledged under, the highest `serverSeq`, how many ops. */
export type AckMark = { readonly epoch: string | null; readonly highSeq: number; readonly acked: number };

type Raw = {
  epoch: string | null;
  high_seq: number;
  acked: number;
  recovery_state: RecoveryState;
  recovery_at: number | null;
  resent: number;
  unrecoverable: number;
};

const NONE: SyncRecovery = { state: 'none', resent: 0, unrecoverable: 0, at: null };

export function createSyncMarkRepository(db: Connection) {
  const select = db.prepare<[string, string], Raw>(
    `SELECT epoch, high_seq, acked, recovery_state, recovery_at, resent, unrecoverable
     FROM sync_marks WHERE service = ? AND author = ?`,
  );
  const ensure = db.prepare<[string, string]>(
    'INSERT INTO sync_marks (service, author) VALUES (?, ?) ON CONFLICT (service, author) DO NOTHING',
  );
  const acks = db.prepare<{ service: string; author: string; n: number; high: number }>(
    `UPDATE sync_marks SET acked = acked + @n, high_seq = max(high_seq, @high) WHERE service = @service AND author = @author`,
  );
  const adopt = db.prepare<[string, string, string]>(
    'UPDATE sync_marks SET epoch = ? WHERE service = ? AND author = ? AND epoch IS NULL',
  );
  const raise = db.prepare<{ service: string; author: string; epoch: string | null; high: number; acked: number }>(
    `UPDATE sync_marks SET epoch = coalesce(@epoch, epoch), high_seq = max(high_seq, @high), acked = max(acked, @acked)
     WHERE service = @service AND author = @author`,
  );
  const recovering = db.prepare<[string, string]>(
    "UPDATE sync_marks SET recovery_state = 'recovering' WHERE service = ? AND author = ?",
  );
  // A check that found nothing missing leaves the last real loss on show, if there was one.
  const settle = db.prepare<{
    service: string;
    author: string;
    epoch: string;
    high: number;
    acked: number;
    resent: number;
    unrecoverable: number;
    at: number;
  }>(
    `UPDATE sync_marks SET epoch = @epoch, high_seq = @high, acked = @acked,
       recovery_state = CASE WHEN @resent + @unrecoverable > 0 OR resent + unrecoverable > 0 THEN 'recovered' ELSE 'none' END,
       recovery_at = CASE WHEN @resent + @unrecoverable > 0 THEN @at ELSE recovery_at END,
       resent = CASE WHEN @resent + @unrecoverable > 0 THEN @resent ELSE resent END,
       unrecoverable = CASE WHEN @resent + @unrecoverable > 0 THEN @unrecoverable ELSE unrecoverable END
     WHERE service = @service AND author = @author`,
  );

  const row = (service: string, author: string): Raw | undefined => select.get(service, author);

  return {
    /** What `service` acknowledged to `author` on this workstation; nothing yet reads as zero. */
    mark: (service: string, author: string): AckMark => {
      const r = row(service, author);
      return r ? { epoch: r.epoch, highSeq: r.high_seq, acked: r.acked } : { epoch: null, highSeq: 0, acked: 0 };
    },
    /** Counts `n` ops acknowledged now for the first time, the highest at `highSeq`. */
    recordAcks: (service: string, author: string, n: number, highSeq: number): void => {
      db.transaction(() => {
        ensure.run(service, author);
        acks.run({ service, author, n, high: highSeq });
      }).immediate();
    },
    /**
     * Raises the mark to `to` (the sealed copy): the rows were older than what was sealed, so the
     * service is compared with what it really acknowledged.
     */
    raise: (service: string, author: string, to: AckMark): void => {
      db.transaction(() => {
        ensure.run(service, author);
        raise.run({ service, author, epoch: to.epoch, high: to.highSeq, acked: to.acked });
      }).immediate();
    },
    /** Notes the service's epoch the first time it is seen. */
    adoptEpoch: (service: string, author: string, epoch: string): void => {
      db.transaction(() => {
        ensure.run(service, author);
        adopt.run(epoch, service, author);
      }).immediate();
    },
    /** A loss was found: the status says so until {@link settleRecovery}. */
    startRecovery: (service: string, author: string): void => {
      db.transaction(() => {
        ensure.run(service, author);
        recovering.run(service, author);
      }).immediate();
    },
    /**
     * The resend is done: the mark becomes what the service now holds (so a loss that cannot be
     * repaired is not chased again), and the loss found (if any) is kept for the status.
     */
    settleRecovery: (
      service: string,
      author: string,
      r: { epoch: string; highSeq: number; acked: number; resent: number; unrecoverable: number; at: number },
    ): void => {
      db.transaction(() => {
        ensure.run(service, author);
        settle.run({ service, author, high: r.highSeq, ...r });
      }).immediate();
    },
    /** The last loss found with `service` for `author`, for the sync status. */
    recovery: (service: string, author: string): SyncRecovery => {
      const r = row(service, author);
      return r
        ? { state: r.recovery_state, resent: r.resent, unrecoverable: r.unrecoverable, at: r.recovery_at }
        : NONE;
    },
  };
}

export type SyncMarkRepository = ReturnType<typeof createSyncMarkRepository>;
