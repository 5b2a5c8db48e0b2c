/** Gold clips, their uses and scores in SQLite. */
import type { Database } from 'better-sqlite3';
import type { Disposition } from '../../../shared/domain/annotation';
import type { GoldClipRow, GoldRepository, GoldUse } from '../gold-repository';
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
import type { Sync } from './unit-of-work';

export function sqliteGoldRepository(db: Database): Sync<GoldRepository> {
  const insert = db.prepare<[string, string, string, Buffer, string, Disposition, number, string]>(
    `INSERT INTO gold_clips (gold_id, locale, details, audio, reference, disposition, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const find = db.prepare<[string], RawGold>(
    `SELECT gold_id, locale, details, audio, reference, disposition, created_at, created_by, removed_at
       FROM gold_clips WHERE gold_id = ?`,
  );
  const list = db.prepare<[number], RawGoldSummary>(
    `SELECT g.gold_id, g.locale, g.details, g.disposition, g.created_at, g.created_by, g.removed_at,
            json_extract(g.details, '$.durationMs') AS duration_ms,
            (SELECT count(*) FROM gold_uses u WHERE u.gold_id = g.gold_id) AS uses
       FROM gold_clips g WHERE ? = 1 OR g.removed_at IS NULL ORDER BY g.created_at, g.gold_id`,
  );
  const remove = db.prepare<[number, string, string]>(
    `UPDATE gold_clips SET removed_at = coalesce(removed_at, ?), removed_by = coalesce(removed_by, ?)
      WHERE gold_id = ?`,
  );
  const checkedOut = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM checkouts WHERE batch_id = ? LIMIT 1');
  const usedIn = db.prepare<[string, string], { n: number }>(
    'SELECT 1 AS n FROM gold_uses WHERE batch_id = ? AND gold_id = ?',
  );
  const makeRoom = db.prepare<[string, number]>(
    'UPDATE batch_clips SET ordinal = ordinal + 1 WHERE batch_id = ? AND ordinal >= ?',
  );
  const insertClip = db.prepare<[string, string, number, string, Buffer | null]>(
    'INSERT INTO batch_clips (batch_id, clip_id, ordinal, details, audio) VALUES (?, ?, ?, ?, ?)',
  );
  const insertUse = db.prepare<[string, string, string, number, string]>(
    'INSERT INTO gold_uses (batch_id, clip_id, gold_id, mixed_at, mixed_by) VALUES (?, ?, ?, ?, ?)',
  );
  const mix = db.transaction((u: GoldUse) => {
    makeRoom.run(u.batchId, u.ordinal);
    insertClip.run(u.batchId, u.clip.details.id, u.ordinal, JSON.stringify(u.clip.details), u.clip.audio);
    insertUse.run(u.batchId, u.clip.details.id, u.goldId, u.at, u.by);
  });
  const answer = db.prepare<[string, string], RawGoldAnswer>(
    `SELECT g.gold_id, g.reference, g.disposition FROM gold_uses u JOIN gold_clips g ON g.gold_id = u.gold_id
      WHERE u.batch_id = ? AND u.clip_id = ?`,
  );
  const addScore = db.prepare<
    [string, string, string, string, number, number, number, number, number, number, number, number]
  >(
    `INSERT INTO gold_scores (${GOLD_SCORE_INSERT_COLUMNS})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  // The highest revision of each clip wins: an amendment replaces the score of what it amends.
  const latest = db.prepare<[string, string], RawGoldScore>(
    `SELECT s.* FROM gold_scores s
      WHERE s.account = ? AND s.batch_id IN (SELECT value FROM json_each(?))
        AND s.revision = (SELECT max(t.revision) FROM gold_scores t
                           WHERE t.batch_id = s.batch_id AND t.clip_id = s.clip_id)
      ORDER BY s.batch_id, s.clip_id`,
  );
  const erase = db.prepare<[string, string]>('DELETE FROM gold_scores WHERE batch_id = ? AND clip_id = ?');

  return {
    add: (g) => {
      insert.run(
        g.goldId,
        g.locale,
        JSON.stringify(g.details),
        g.audio,
        g.reference,
        g.disposition,
        g.createdAt,
        g.createdBy,
      );
    },
    find: (goldId): GoldClipRow | undefined => {
      const r = find.get(goldId);
      return r ? toGoldClip(r) : undefined;
    },
    list: (o) => list.all(o.removed ? 1 : 0).map(toGoldClipSummary),
    remove: (goldId, at, by) => remove.run(at, by, goldId).changes > 0,
    everCheckedOut: (batchId) => checkedOut.get(batchId) !== undefined,
    usedIn: (batchId, goldId) => usedIn.get(batchId, goldId) !== undefined,
    mix: (u) => {
      mix.immediate(u);
    },
    answerFor: (batchId, clipId) => {
      const r = answer.get(batchId, clipId);
      return r ? toGoldAnswer(r) : undefined;
    },
    addScore: (s) => {
      addScore.run(...goldScoreValues(s, (v) => (v ? 1 : 0)));
    },
    latestScores: (account, batchIds) =>
      batchIds.length === 0 ? [] : latest.all(account, JSON.stringify(batchIds)).map(toGoldScore),
    eraseScores: (batchId, clipId) => erase.run(batchId, clipId).changes,
  };
}
