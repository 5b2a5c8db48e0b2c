/** Batches and their clips in SQLite. */
import type { Database } from 'better-sqlite3';
import type { PackedClipDetails } from '../../../shared/batch-package/manifest';
import type { BatchRepository } from '../repositories';
import { toBatch, type RawBatch } from '../rows/batch-row';
import type { Sync } from './unit-of-work';

const BATCH_COLUMNS = `b.batch_id, b.assigned_to, b.locale, b.created_at, b.expires_at, b.revoked_at,
  (SELECT count(*) FROM batch_clips c WHERE c.batch_id = b.batch_id) AS clip_count`;

export function sqliteBatchRepository(db: Database): Sync<BatchRepository> {
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
  const selectAll = db.prepare<[number], RawBatch>(
    `SELECT ${BATCH_COLUMNS} FROM batches b ORDER BY b.created_at DESC, b.batch_id LIMIT ?`,
  );
  const selectAllFor = db.prepare<[string, number], RawBatch>(
    `SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.assigned_to = ? ORDER BY b.created_at DESC, b.batch_id LIMIT ?`,
  );
  const assign = db.prepare<[string, string]>('UPDATE batches SET assigned_to = ? WHERE batch_id = ?');
  const setExpiry = db.prepare<[number, string]>('UPDATE batches SET expires_at = ? WHERE batch_id = ?');
  const selectClips = db.prepare<[string], { details: string; audio: Buffer | null }>(
    'SELECT details, audio FROM batch_clips WHERE batch_id = ? ORDER BY ordinal',
  );
  const hasClip = db.prepare<[string, string], { n: number }>(
    'SELECT 1 AS n FROM batch_clips WHERE batch_id = ? AND clip_id = ?',
  );
  const revoke = db.prepare<[number, string]>(
    'UPDATE batches SET revoked_at = coalesce(revoked_at, ?) WHERE batch_id = ?',
  );
  const withdraw = db.prepare<[string, string]>(
    `UPDATE batch_clips SET audio = NULL, details = json_object('id', clip_id, 'consent', 'withdrawn')
     WHERE batch_id = ? AND clip_id = ?`,
  );
  const withdrawnIds = db.prepare<[string], { clip_id: string }>(
    `SELECT clip_id FROM batch_clips WHERE batch_id = ? AND json_extract(details, '$.consent') = 'withdrawn'
     ORDER BY ordinal`,
  );
  const isWithdrawn = db.prepare<[string, string], { n: number }>(
    `SELECT 1 AS n FROM batch_clips WHERE batch_id = ? AND clip_id = ? AND json_extract(details, '$.consent') = 'withdrawn'`,
  );
  const purgeEnded = db.prepare<[number]>(
    `UPDATE batch_clips SET audio = NULL WHERE audio IS NOT NULL AND batch_id IN
       (SELECT batch_id FROM batches WHERE min(expires_at, coalesce(revoked_at, expires_at)) < ?)`,
  );
  const add = db.transaction((b: Parameters<Sync<BatchRepository>['add']>[0]) => {
    insertBatch.run(b.batchId, b.assignedTo, b.locale, b.createdAt, b.expiresAt);
    b.clips.forEach((c, i) => insertClip.run(b.batchId, c.details.id, i, JSON.stringify(c.details), c.audio));
  });

  return {
    add: (b) => {
      add.immediate(b);
    },
    find: (batchId) => {
      const r = selectOne.get(batchId);
      return r ? toBatch(r) : undefined;
    },
    assignedTo: (account) => selectFor.all(account).map(toBatch),
    clips: (batchId) =>
      selectClips.all(batchId).map((r) => ({ details: JSON.parse(r.details) as PackedClipDetails, audio: r.audio })),
    hasClip: (batchId, clipId) => hasClip.get(batchId, clipId) !== undefined,
    list: (q) =>
      (q.assignedTo === undefined ? selectAll.all(q.limit) : selectAllFor.all(q.assignedTo, q.limit)).map(toBatch),
    assign: (batchId, account) => assign.run(account, batchId).changes > 0,
    setExpiry: (batchId, expiresAt) => setExpiry.run(expiresAt, batchId).changes > 0,
    revoke: (batchId, now) => revoke.run(now, batchId).changes > 0,
    withdrawClip: (batchId, clipId) => withdraw.run(batchId, clipId).changes > 0,
    isWithdrawn: (batchId, clipId) => isWithdrawn.get(batchId, clipId) !== undefined,
    withdrawnClips: (batchId) => withdrawnIds.all(batchId).map((r) => r.clip_id),
    purgeEndedAudio: (endedBefore) => purgeEnded.run(endedBefore).changes,
  };
}
