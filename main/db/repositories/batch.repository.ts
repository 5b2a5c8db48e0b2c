import type { BatchStatus, BatchSummary } from '../../../shared/domain/batch';
import type { Connection } from '../connection';

type BatchRow = {
  id: string;
  locale: string;
  clip_count: number;
  done_count: number;
  expires_at: number;
  status: BatchStatus;
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
});

/** SQL for the batch list. Statements are prepared once per connection. */
export function createBatchRepository(db: Connection) {
  const selectAll = db.prepare<[], BatchRow>(
    'SELECT id, locale, clip_count, done_count, expires_at, status FROM batches WHERE staged = 0 ORDER BY imported_at, id',
  );
  const selectOne = db.prepare<[string], BatchRow>(
    'SELECT id, locale, clip_count, done_count, expires_at, status FROM batches WHERE id = ? AND staged = 0',
  );
  const insert = db.prepare<[string, string, number, number, number, number]>(
    `INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
     VALUES (?, ?, ?, ?, ?, ?, 'active')`,
  );
  return {
    list: (): BatchSummary[] => selectAll.all().map(toSummary),
    find: (id: string): BatchSummary | undefined => {
      const row = selectOne.get(id);
      return row ? toSummary(row) : undefined;
    },
    insert: (b: NewBatch): void => {
      insert.run(b.id, b.locale, b.clipCount, b.createdAt, b.expiresAt, b.importedAt);
    },
  };
}

export type BatchRepository = ReturnType<typeof createBatchRepository>;
