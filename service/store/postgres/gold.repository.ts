/** Gold clips, their uses and scores in PostgreSQL. */
import type { GoldClipRow, GoldRepository } from '../gold-repository';
import {
  GOLD_SCORE_INSERT_COLUMNS,
  goldScoreValues,
  toGoldAnswer,
  toGoldClip,
  toGoldClipSummary,
  toGoldScore,
  type RawGold,
  type RawGoldAnswer,
  type RawGoldScore,
  type RawGoldSummary,
} from '../rows/gold-row';
import { insertClips } from './batch.repository';
import type { PgDb } from './db';

export function pgGoldRepository(db: PgDb): GoldRepository {
  return {
    async add(g) {
      const duration = (g.details as Readonly<Record<string, unknown>>).durationMs;
      await db.execute(
        `INSERT INTO gold_clips (gold_id, locale, details, duration_ms, audio, reference, disposition, created_at,
                                 created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          g.goldId,
          g.locale,
          JSON.stringify(g.details),
          typeof duration === 'number' ? duration : null,
          g.audio,
          g.reference,
          g.disposition,
          g.createdAt,
          g.createdBy,
        ],
      );
    },
    async find(goldId): Promise<GoldClipRow | undefined> {
      const [r] = await db.query<RawGold>(
        `SELECT gold_id, locale, details, audio, reference, disposition, created_at, created_by, removed_at
           FROM gold_clips WHERE gold_id = $1`,
        [goldId],
      );
      return r ? toGoldClip(r) : undefined;
    },
    async list(o) {
      const rows = await db.query<RawGoldSummary>(
        `SELECT g.gold_id, g.locale, g.disposition, g.created_at, g.created_by, g.removed_at, g.duration_ms,
                (SELECT count(*) FROM gold_uses u WHERE u.gold_id = g.gold_id)::int AS uses
           FROM gold_clips g WHERE $1 OR g.removed_at IS NULL ORDER BY g.created_at, g.gold_id`,
        [o.removed],
      );
      return rows.map(toGoldClipSummary);
    },
    async remove(goldId, at, by) {
      const changed = await db.execute(
        `UPDATE gold_clips SET removed_at = coalesce(removed_at, $1), removed_by = coalesce(removed_by, $2)
          WHERE gold_id = $3`,
        [at, by, goldId],
      );
      return changed > 0;
    },
    async everCheckedOut(batchId) {
      return (await db.query('SELECT 1 FROM checkouts WHERE batch_id = $1 LIMIT 1', [batchId])).length > 0;
    },
    async usedIn(batchId, goldId) {
      return (
        (await db.query('SELECT 1 FROM gold_uses WHERE batch_id = $1 AND gold_id = $2', [batchId, goldId])).length > 0
      );
    },
    mix: (u) =>
      db.atomic(async (tx) => {
        await tx.execute('UPDATE batch_clips SET ordinal = ordinal + 1 WHERE batch_id = $1 AND ordinal >= $2', [
          u.batchId,
          u.ordinal,
        ]);
        await insertClips(tx, u.batchId, [u.clip], u.ordinal);
        await tx.execute(
          'INSERT INTO gold_uses (batch_id, clip_id, gold_id, mixed_at, mixed_by) VALUES ($1, $2, $3, $4, $5)',
          [u.batchId, u.clip.details.id, u.goldId, u.at, u.by],
        );
      }),
    async answerFor(batchId, clipId) {
      const [r] = await db.query<RawGoldAnswer>(
        `SELECT g.gold_id, g.reference, g.disposition FROM gold_uses u JOIN gold_clips g ON g.gold_id = u.gold_id
          WHERE u.batch_id = $1 AND u.clip_id = $2`,
        [batchId, clipId],
      );
      return r ? toGoldAnswer(r) : undefined;
    },
    async addScore(s) {
      await db.execute(
        `INSERT INTO gold_scores (${GOLD_SCORE_INSERT_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
        goldScoreValues(s, (v) => v),
      );
    },
    // The highest revision of each clip wins: an amendment replaces the score of what it amends.
    async latestScores(account, batchIds) {
      if (batchIds.length === 0) {
        return [];
      }
      const rows = await db.query<RawGoldScore>(
        `SELECT s.* FROM gold_scores s
          WHERE s.account = $1 AND s.batch_id = ANY($2::text[])
            AND s.revision = (SELECT max(t.revision) FROM gold_scores t
                               WHERE t.batch_id = s.batch_id AND t.clip_id = s.clip_id)
          ORDER BY s.batch_id, s.clip_id`,
        [account, [...batchIds]],
      );
      return rows.map(toGoldScore);
    },
    eraseScores: (batchId, clipId) =>
      db.execute('DELETE FROM gold_scores WHERE batch_id = $1 AND clip_id = $2', [batchId, clipId]),
  };
}
