/** SQL for the batches that came from the annotation service and what it last said of them. */
import type { BatchStatus } from '../../../shared/domain/batch';
import type { Connection } from '../connection';

export type SyncBatchSource = 'checkout' | 'offline';

export type SyncBatchRow = {
  readonly batchId: string;
  readonly source: SyncBatchSource;
  readonly serviceStatus: BatchStatus | null;
  readonly audioPurgedAt: number | null;
  /** The pseudonym of the reviewer it was checked out or imported for; null when not recorded. */
  readonly owner: string | null;
};

export function createSyncBatchRepository(db: Connection) {
  const insert = db.prepare<[string, SyncBatchSource, string | null, BatchStatus | null]>(
    `INSERT INTO sync_batches (batch_id, source, owner, service_status) VALUES (?, ?, ?, ?)
     ON CONFLICT (batch_id) DO NOTHING`,
  );
  const all = db.prepare<
    [],
    {
      batch_id: string;
      source: SyncBatchSource;
      service_status: BatchStatus | null;
      audio_purged_at: number | null;
      owner: string | null;
    }
  >('SELECT batch_id, source, service_status, audio_purged_at, owner FROM sync_batches ORDER BY batch_id');
  const owners = db.prepare<[], { batch_id: string; owner: string }>(
    'SELECT batch_id, owner FROM sync_batches WHERE owner IS NOT NULL',
  );
  const ownerOf = db.prepare<[string], { owner: string | null }>('SELECT owner FROM sync_batches WHERE batch_id = ?');
  const activeOwnerOf = db.prepare<[string], { owner: string | null }>(
    `SELECT s.owner FROM sync_batches s JOIN batches b ON b.id = s.batch_id
     WHERE s.batch_id = ? AND b.status = 'active' AND b.staged = 0`,
  );
  const claim = db.prepare<[string, string]>('UPDATE sync_batches SET owner = ? WHERE batch_id = ? AND owner IS NULL');
  const reown = db.prepare<[string, string]>('UPDATE sync_batches SET owner = ? WHERE batch_id = ?');
  const dropDrafts = db.prepare<[string]>('DELETE FROM drafts WHERE batch_id = ?');
  // A batch the service no longer lists as active is erased here in the same cycle: note when.
  // Written only when that changes something: every cycle asks about every batch, and a write
  // that changes nothing would still cost a synced commit each time.
  const setStatus = db.prepare<{ status: BatchStatus; at: number; batchId: string }>(
    `UPDATE sync_batches SET service_status = @status,
       erased_at = coalesce(erased_at, CASE WHEN @status <> 'active' THEN @at END)
     WHERE batch_id = @batchId
       AND (service_status IS NOT @status OR (@status <> 'active' AND erased_at IS NULL))`,
  );
  const purged = db.prepare<[number, number, string]>(
    `UPDATE sync_batches SET audio_purged_at = coalesce(audio_purged_at, ?), erased_at = coalesce(erased_at, ?)
     WHERE batch_id = ?`,
  );
  // Every clip that can be worked on has a revision, every op of the batch was acknowledged, no
  // draft is open on it, and its last submit and the reviewer's last move there are old enough.
  // Whose batch it is follows `ownedBy` (own-batches.ts): the reviewer's own, or nobody's.
  const complete = db.prepare<[string, number, number], { batch_id: string }>(
    `SELECT s.batch_id FROM sync_batches s JOIN batches b ON b.id = s.batch_id
     WHERE (s.owner IS NULL OR s.owner = ?) AND b.status = 'active' AND s.audio_purged_at IS NULL
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
    /**
     * Marks a batch as the service's, for `owner` (the reviewer it was checked out or imported
     * for; null when nobody is signed in): its work will be sent. `serviceStatus` is what the
     * service said of it, when that is known already (a checkout of a batch it listed as active),
     * so the next cycle that hears the same has nothing to write.
     */
    register: (
      batchId: string,
      source: SyncBatchSource,
      owner: string | null,
      serviceStatus: BatchStatus | null = null,
    ): void => {
      insert.run(batchId, source, owner, serviceStatus);
    },
    /** Each service batch with a recorded owner, and that owner. */
    owners: (): Map<string, string> => new Map(owners.all().map((r) => [r.batch_id, r.owner])),
    /** The batch's owner; null when none is recorded, undefined when it is not the service's. */
    ownerOf: (batchId: string): string | null | undefined => ownerOf.get(batchId)?.owner,
    /** As `ownerOf`, for a batch still active here; undefined for one erased, expired or not here. */
    activeOwnerOf: (batchId: string): string | null | undefined => activeOwnerOf.get(batchId)?.owner,
    /** Records `owner` for a batch whose owner was never recorded (one from an older version). */
    claim: (batchId: string, owner: string): void => {
      claim.run(owner, batchId);
    },
    /**
     * Moves a batch to `owner` (the service assigned it to them since), with the drafts open on
     * it dropped, in one transaction: they were the last owner's, never sent, and are not the new
     * owner's to read. Submitted revisions, escalations and their outbox rows stay as they are,
     * under their own author.
     */
    moveTo: (batchId: string, owner: string): void => {
      db.transaction(() => {
        reown.run(owner, batchId);
        dropDrafts.run(batchId);
      }).immediate();
    },
    list: (): SyncBatchRow[] =>
      all.all().map((r) => ({
        batchId: r.batch_id,
        source: r.source,
        serviceStatus: r.service_status,
        audioPurgedAt: r.audio_purged_at,
        owner: r.owner,
      })),
    /** Records what the service said of a batch at `at`; returns whether that changed the row. */
    setServiceStatus: (batchId: string, status: BatchStatus, at: number): boolean =>
      setStatus.run({ status, at, batchId }).changes > 0,
    markAudioPurged: (batchId: string, at: number): void => {
      purged.run(at, at, batchId);
    },
    /**
     * Active service batches of `owner` whose work is all done and all acknowledged, with no
     * draft open and nothing submitted or visited there after `quietSince` (a trusted-clock time).
     */
    fullyAcknowledged: (owner: string, quietSince: number): string[] =>
      complete.all(owner, quietSince, quietSince).map((r) => r.batch_id),
  };
}

export type SyncBatchRepository = ReturnType<typeof createSyncBatchRepository>;
