/** Batches and their clips in PostgreSQL. */
import type { PackedClipDetails } from '../../../shared/batch-package/manifest';
import type { BatchRepository, NewBatch, ServiceClip } from '../repositories';
import { toBatch, type RawBatch } from '../rows/batch-row';
import type { PgDb } from './db';
import { inChunks } from './chunks';

const BATCH_COLUMNS = `b.batch_id, b.assigned_to, b.locale, b.created_at, b.expires_at, b.revoked_at, b.clip_count`;

/**
 * Inserts clips from `first` on as multi-row statements (one per chunk), so a 1,000-clip batch
 * costs a handful of round trips, not one per clip; each also adds its clips to the batch's
 * count. Run it inside a transaction, so the count and the rows move together.
 */
export async function insertClips(
  db: PgDb,
  batchId: string,
  clips: readonly ServiceClip[],
  first: number,
): Promise<void> {
  for (const chunk of inChunks(clips, (c) => c.audio?.length ?? 0)) {
    await db.execute(
      `WITH added AS (
         INSERT INTO batch_clips (batch_id, clip_id, ordinal, details, audio, withdrawn)
         SELECT $1, c.clip_id, c.ordinal, c.details, c.audio, c.withdrawn
           FROM unnest($2::text[], $3::int[], $4::text[], $5::bytea[], $6::boolean[])
             AS c (clip_id, ordinal, details, audio, withdrawn)
         RETURNING 1)
       UPDATE batches SET clip_count = clip_count + (SELECT count(*) FROM added) WHERE batch_id = $1`,
      [
        batchId,
        chunk.items.map((c) => c.details.id),
        chunk.items.map((_, i) => first + chunk.start + i),
        chunk.items.map((c) => JSON.stringify(c.details)),
        chunk.items.map((c) => c.audio),
        chunk.items.map((c) => c.details.consent === 'withdrawn'),
      ],
    );
  }
}

export function pgBatchRepository(db: PgDb): BatchRepository {
  return {
    async add(b: NewBatch) {
      await db.atomic(async (tx) => {
        await tx.execute(
          'INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
          [b.batchId, b.assignedTo, b.locale, b.createdAt, b.expiresAt],
        );
        await insertClips(tx, b.batchId, b.clips, 0);
      });
    },
    async find(batchId) {
      const [r] = await db.query<RawBatch>(`SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.batch_id = $1`, [batchId]);
      return r ? toBatch(r) : undefined;
    },
    async assignedTo(account) {
      const rows = await db.query<RawBatch>(
        `SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.assigned_to = $1 ORDER BY b.created_at, b.batch_id`,
        [account],
      );
      return rows.map(toBatch);
    },
    async clips(batchId) {
      const rows = await db.query<{ details: string; audio: Buffer | null }>(
        'SELECT details, audio FROM batch_clips WHERE batch_id = $1 ORDER BY ordinal',
        [batchId],
      );
      return rows.map((r) => ({ details: JSON.parse(r.details) as PackedClipDetails, audio: r.audio }));
    },
    async hasClip(batchId, clipId) {
      const rows = await db.query('SELECT 1 FROM batch_clips WHERE batch_id = $1 AND clip_id = $2', [batchId, clipId]);
      return rows.length > 0;
    },
    async list(q) {
      const rows =
        q.assignedTo === undefined
          ? await db.query<RawBatch>(
              `SELECT ${BATCH_COLUMNS} FROM batches b ORDER BY b.created_at DESC, b.batch_id LIMIT $1`,
              [q.limit],
            )
          : await db.query<RawBatch>(
              `SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.assigned_to = $1
                ORDER BY b.created_at DESC, b.batch_id LIMIT $2`,
              [q.assignedTo, q.limit],
            );
      return rows.map(toBatch);
    },
    async assign(batchId, account) {
      return (await db.execute('UPDATE batches SET assigned_to = $1 WHERE batch_id = $2', [account, batchId])) > 0;
    },
    async setExpiry(batchId, expiresAt) {
      return (await db.execute('UPDATE batches SET expires_at = $1 WHERE batch_id = $2', [expiresAt, batchId])) > 0;
    },
    async revoke(batchId, now) {
      return (
        (await db.execute('UPDATE batches SET revoked_at = coalesce(revoked_at, $1) WHERE batch_id = $2', [
          now,
          batchId,
        ])) > 0
      );
    },
    async withdrawClip(batchId, clipId) {
      // The same text SQLite's json_object writes: {"id":"…","consent":"withdrawn"}.
      const changed = await db.execute(
        `UPDATE batch_clips SET audio = NULL, withdrawn = true,
                details = '{"id":' || to_json(clip_id::text)::text || ',"consent":"withdrawn"}'
          WHERE batch_id = $1 AND clip_id = $2`,
        [batchId, clipId],
      );
      return changed > 0;
    },
    async isWithdrawn(batchId, clipId) {
      const rows = await db.query(`SELECT 1 FROM batch_clips WHERE batch_id = $1 AND clip_id = $2 AND withdrawn`, [
        batchId,
        clipId,
      ]);
      return rows.length > 0;
    },
    async withdrawnClips(batchId) {
      const rows = await db.query<{ clip_id: string }>(
        `SELECT clip_id FROM batch_clips WHERE batch_id = $1 AND withdrawn ORDER BY ordinal`,
        [batchId],
      );
      return rows.map((r) => r.clip_id);
    },
    purgeEndedAudio: (endedBefore) =>
      db.execute(
        `UPDATE batch_clips SET audio = NULL WHERE audio IS NOT NULL AND batch_id IN
           (SELECT batch_id FROM batches WHERE least(expires_at, coalesce(revoked_at, expires_at)) < $1)`,
        [endedBefore],
      ),
  };
}
