/** Gold clips and their scores as both stores read them, and how rows become the repository's types. */
import type { Disposition } from '../../../shared/domain/annotation';
import type { GoldAnswer, GoldClipDetails, GoldClipRow, GoldClipSummary, GoldScore } from '../gold-repository';
import { fromDbBoolean, type DbBoolean } from './db-values';

export type RawGold = {
  gold_id: string;
  locale: string;
  details: string;
  audio: Buffer;
  reference: string;
  disposition: Disposition;
  created_at: number;
  created_by: string;
  removed_at: number | null;
};

export const toGoldClip = (r: RawGold): GoldClipRow => ({
  goldId: r.gold_id,
  locale: r.locale,
  details: JSON.parse(r.details) as GoldClipDetails,
  audio: r.audio,
  reference: r.reference,
  disposition: r.disposition,
  createdAt: r.created_at,
  createdBy: r.created_by,
  removedAt: r.removed_at,
});

/** A gold clip as listed: no audio, reference or details, but its duration and how often it was mixed in. */
export type RawGoldSummary = Omit<RawGold, 'audio' | 'reference' | 'details'> & { uses: number; duration_ms: number };

export const toGoldClipSummary = (r: RawGoldSummary): GoldClipSummary => ({
  goldId: r.gold_id,
  locale: r.locale,
  disposition: r.disposition,
  durationMs: r.duration_ms,
  createdAt: r.created_at,
  createdBy: r.created_by,
  removedAt: r.removed_at,
  uses: r.uses,
});

export type RawGoldAnswer = { gold_id: string; reference: string; disposition: Disposition };

export const toGoldAnswer = (r: RawGoldAnswer): GoldAnswer => ({
  goldId: r.gold_id,
  reference: r.reference,
  disposition: r.disposition,
});

/** A `gold_scores` row; `disposition_agreed` is a boolean on PostgreSQL, 0 or 1 on SQLite. */
export type RawGoldScore = {
  op_id: string;
  account: string;
  batch_id: string;
  clip_id: string;
  revision: number;
  ref_words: number;
  correct: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  disposition_agreed: DbBoolean;
  scored_at: number;
};

/** The columns a score is inserted with, in the order of {@link goldScoreValues}. */
export const GOLD_SCORE_INSERT_COLUMNS = `op_id, account, batch_id, clip_id, revision, ref_words, correct, substitutions,
  deletions, insertions, disposition_agreed, scored_at`;

/**
 * {@link GOLD_SCORE_INSERT_COLUMNS}' values for `s`; `bool` writes the boolean as the driver takes
 * it (better-sqlite3 binds no booleans, so SQLite passes 1 or 0).
 */
export const goldScoreValues = <B>(
  s: GoldScore,
  bool: (v: boolean) => B,
): [string, string, string, string, number, number, number, number, number, number, B, number] => [
  s.opId,
  s.account,
  s.batchId,
  s.clipId,
  s.revision,
  s.counts.refWords,
  s.counts.correct,
  s.counts.substitutions,
  s.counts.deletions,
  s.counts.insertions,
  bool(s.dispositionAgreed),
  s.scoredAt,
];

export const toGoldScore = (r: RawGoldScore): GoldScore => ({
  opId: r.op_id,
  account: r.account,
  batchId: r.batch_id,
  clipId: r.clip_id,
  revision: r.revision,
  counts: {
    refWords: r.ref_words,
    correct: r.correct,
    substitutions: r.substitutions,
    deletions: r.deletions,
    insertions: r.insertions,
  },
  dispositionAgreed: fromDbBoolean(r.disposition_agreed),
  scoredAt: r.scored_at,
});
