/** Batches and their clips as the reference service issues them. */
import type { ClipDetails } from '../../shared/batch-package/manifest';
import type { BatchStatus } from '../../shared/domain/batch';
import type { ServiceDb } from './schema';

export type ServiceBatch = {
  readonly batchId: string;
  readonly assignedTo: string;
  readonly locale: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  readonly clipCount: number;
};

export type ServiceClip = { readonly details: ClipDetails; readonly audio: Buffer | null };

type RawBatch = {
  batch_id: string;
  assigned_to: string;
  locale: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  clip_count: number;
};

const toBatch = (r: RawBatch): ServiceBatch => ({
  batchId: r.batch_id,
  assignedTo: r.assigned_to,
  locale: r.locale,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  clipCount: r.clip_count,
});

/** A batch's status at `now`: revoked wins over expired. */
export function batchStatusAt(b: ServiceBatch, now: number): BatchStatus {
  if (b.revokedAt !== null) {
    return 'revoked';
  }
  return b.expiresAt <= now ? 'expired' : 'active';
}

const BATCH_COLUMNS = `b.batch_id, b.assigned_to, b.locale, b.created_at, b.expires_at, b.revoked_at,
  (SELECT count(*) FROM batch_clips c WHERE c.batch_id = b.batch_id) AS clip_count`;

export function createBatchStore(db: ServiceDb) {
  const insertBatch = db.prepare<[string, string, string, number, number]>(
    'INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertClip = db.prepare<[string, string, number, string, Buffer | null]>(
    'INSERT INTO batch_clips (batch_id, clip_id, ordinal, details, audio) VALUES (?, ?, ?, ?, ?)',
  );
  const selectOne = db.prepare<[string], RawBatch>(`SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.batch_id = ?`);
  const selectFor = db.prepare<[string], RawBatch>(
    `SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.assigned_to = ? ORDER BY b.created_at, b.batch_id`,
  );
  const selectClips = db.prepare<[string], { details: string; audio: Buffer | null }>(
    'SELECT details, audio FROM batch_clips WHERE batch_id = ? ORDER BY ordinal',
  );
  const hasClip = db.prepare<[string, string], { n: number }>(
    'SELECT 1 AS n FROM batch_clips WHERE batch_id = ? AND clip_id = ?',
  );
  const revoke = db.prepare<[number, string]>(
    'UPDATE batches SET revoked_at = coalesce(revoked_at, ?) WHERE batch_id = ?',
  );

  return {
    /** Adds a batch and its clips in one transaction. */
    add: (b: {
      batchId: string;
      assignedTo: string;
      locale: string;
      createdAt: number;
      expiresAt: number;
      clips: readonly ServiceClip[];
    }): void => {
      db.transaction(() => {
        insertBatch.run(b.batchId, b.assignedTo, b.locale, b.createdAt, b.expiresAt);
        b.clips.forEach((c, i) => insertClip.run(b.batchId, c.details.id, i, JSON.stringify(c.details), c.audio));
      }).immediate();
    },
    find: (batchId: string): ServiceBatch | undefined => {
      const r = selectOne.get(batchId);
      return r ? toBatch(r) : undefined;
    },
    assignedTo: (account: string): ServiceBatch[] => selectFor.all(account).map(toBatch),
    clips: (batchId: string): ServiceClip[] =>
      selectClips.all(batchId).map((r) => ({ details: JSON.parse(r.details) as ClipDetails, audio: r.audio })),
    hasClip: (batchId: string, clipId: string): boolean => hasClip.get(batchId, clipId) !== undefined,
    revoke: (batchId: string, now: number): boolean => revoke.run(now, batchId).changes > 0,
  };
}

export type BatchStore = ReturnType<typeof createBatchStore>;
