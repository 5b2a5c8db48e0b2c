/** SQL for the batches that came from the annotation service and what it last said of them. */
import type { BatchStatus } from '../../../shared/domain/batch';
import type { Connection } from '../connection';

export type SyncBatchSource = 'checkout' | 'offline';

export type SyncBatchRow = {
  readonly batchId: string;
  readonly source: SyncBatchSource;
  readonly serviceStatus: BatchStatus | null;
  readonly audioPurgedAt: number | null;
};

export function createSyncBatchRepository(db: Connection) {
  const insert = db.prepare<[string, SyncBatchSource]>(
    'INSERT INTO sync_batches (batch_id, source) VALUES (?, ?) ON CONFLICT (batch_id) DO NOTHING',
  );
  const all = db.prepare<
    [],
    { batch_id: string; source: SyncBatchSource; service_status: BatchStatus | null; audio_purged_at: number | null }
  >('SELECT batch_id, source, service_status, audio_purged_at FROM sync_batches ORDER BY batch_id');
  // A batch the service no longer lists as active is erased here in the same cycle: note when.
  const setStatus = db.prepare<{ status: BatchStatus; at: number; batchId: string }>(
    `UPDATE sync_batches SET service_status = @status, checked_at = @at,
       erased_at = coalesce(erased_at, CASE WHEN @status <> 'active' THEN @at END)
     WHERE batch_id = @batchId`,
  );
  const purged = db.prepare<[number, number, string]>(
    `UPDATE sync_batches SET audio_purged_at = coalesce(audio_purged_at, ?), erased_at = coalesce(erased_at, ?)
     WHERE batch_id = ?`,
  );
  // Every clip that can be worked on has a revision, every op of the batch was acknowledged, no
  // draft is open on it, and its last submit and the reviewer's last move there are old enough.
  const complete = db.prepare<[number, number], { batch_id: string }>(
    `SELECT s.batch_id FROM sync_batches s JOIN batches b ON b.id = s.batch_id
     WHERE b.status = 'active' AND s.audio_purged_at IS NULL
       AND EXISTS (SELECT 1 FROM clips c WHERE c.batch_id = s.batch_id AND c.state = 'ready')
       AND NOT EXISTS (SELECT 1 FROM clips c WHERE c.batch_id = s.batch_id AND c.state = 'ready'
                       AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.batch_id = c.batch_id AND a.clip_id = c.clip_id))
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.batch_id = s.batch_id AND o.state <> 'acked')
       AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.batch_id = s.batch_id)
       AND coalesce((SELECT max(a.submitted_at) FROM annotations a WHERE a.batch_id = s.batch_id), 0) <= ?
       AND coalesce((SELECT r.updated_at FROM review_positions r WHERE r.batch_id = s.batch_id), 0) <= ?
     ORDER BY s.batch_id`,
  );

  return {
    /** Marks a batch as the service's; its work will be sent. */
    register: (batchId: string, source: SyncBatchSource): void => {
      insert.run(batchId, source);
    },
    list: (): SyncBatchRow[] =>
      all.all().map((r) => ({
        batchId: r.batch_id,
        source: r.source,
        serviceStatus: r.service_status,
        audioPurgedAt: r.audio_purged_at,
      })),
    setServiceStatus: (batchId: string, status: BatchStatus, at: number): void => {
      setStatus.run({ status, at, batchId });
    },
    markAudioPurged: (batchId: string, at: number): void => {
      purged.run(at, at, batchId);
    },
    /**
     * Active service batches whose work is all done and all acknowledged, with no draft open and
     * nothing submitted or visited there after `quietSince` (a trusted-clock time).
     */
    fullyAcknowledged: (quietSince: number): string[] => complete.all(quietSince, quietSince).map((r) => r.batch_id),
  };
}

export type SyncBatchRepository = ReturnType<typeof createSyncBatchRepository>;
