import type { BatchStatus, BatchSummary } from '../../../shared/domain/batch';
import type { Connection } from '../connection';

type BatchRow = {
  id: string;
  locale: string;
  clip_count: number;
  done_count: number;
  expires_at: number;
  status: BatchStatus;
  withdrawn_count: number;
  quarantined_count: number;
};

export type NewBatch = {
  readonly id: string;
  readonly locale: string;
  readonly clipCount: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly importedAt: number;
};

const toSummary = (r: BatchRow): BatchSummary => ({
  id: r.id,
  locale: r.locale,
  clipCount: r.clip_count,
  doneCount: r.done_count,
  expiresAt: r.expires_at,
  status: r.status,
  withheld: { consentWithdrawn: r.withdrawn_count, quarantined: r.quarantined_count },
});

/** The batch's columns and how many of its clips are withheld, by reason. */
const SUMMARY = `SELECT b.id, b.locale, b.clip_count, b.done_count, b.expires_at, b.status,
  (SELECT count(*) FROM refused_clips r WHERE r.batch_id = b.id) AS withdrawn_count,
  b.erased_quarantined +
    (SELECT count(*) FROM clips c WHERE c.batch_id = b.id AND c.state = 'quarantined') AS quarantined_count
  FROM batches b`;

/** SQL for the batch list. Statements are prepared once per connection. */
export function createBatchRepository(db: Connection) {
  const selectAll = db.prepare<[], BatchRow>(`${SUMMARY} WHERE b.staged = 0 ORDER BY b.imported_at, b.id`);
  const selectOne = db.prepare<[string], BatchRow>(`${SUMMARY} WHERE b.id = ? AND b.staged = 0`);
  // Only the status column: counting a batch's withheld clips reads every clip row, which a
  // clip open (checking its batch is still active) must not pay for.
  const selectStatus = db.prepare<[string], { status: BatchSummary['status'] }>(
    'SELECT status FROM batches WHERE id = ? AND staged = 0',
  );
  const insert = db.prepare<[string, string, number, number, number, number]>(
    `INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
     VALUES (?, ?, ?, ?, ?, ?, 'active')`,
  );
  const bringForward = db.prepare<[number, string, number]>(
    "UPDATE batches SET expires_at = ? WHERE id = ? AND status = 'active' AND staged = 0 AND expires_at > ?",
  );
  return {
    list: (): BatchSummary[] => selectAll.all().map(toSummary),
    find: (id: string): BatchSummary | undefined => {
      const row = selectOne.get(id);
      return row ? toSummary(row) : undefined;
    },
    /** A visible batch's status alone; undefined when there is no such batch. */
    status: (id: string): BatchSummary['status'] | undefined => selectStatus.get(id)?.status,
    insert: (b: NewBatch): void => {
      insert.run(b.id, b.locale, b.clipCount, b.createdAt, b.expiresAt, b.importedAt);
    },
    /** Moves an active batch's expiry earlier, never later; true when it moved. */
    bringExpiryForward: (id: string, expiresAt: number): boolean =>
      bringForward.run(expiresAt, id, expiresAt).changes > 0,
  };
}

export type BatchRepository = ReturnType<typeof createBatchRepository>;
