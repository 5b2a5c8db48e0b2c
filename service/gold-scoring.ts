/**
 * Scoring what reviewers submit for gold clips (docs/gold-clips.md): the submitted transcript
 * against the reference with the project's word error rate code and normalisation (the same as
 * `npm run wer`: shared/wer), and whether the disposition agrees. Runs in the unit of work that
 * stores the ops, so a stored op of a gold use always has its score.
 */
import type { AnnotationOp, OpResult } from '../shared/sync/messages';
import { alignWords, type WerCounts } from '../shared/wer/align';
import { normaliseWords } from '../shared/wer/normalise';
import type { Repositories } from './store/repositories';

/**
 * The word counts of `transcript` against `reference`, both normalised as `npm run wer` does
 * (critical markers, like every tag, are not words).
 */
export function goldWordCounts(reference: string, transcript: string): WerCounts {
  const { refWords, correct, substitutions, deletions, insertions, errors, wer } = alignWords(
    normaliseWords(reference),
    normaliseWords(transcript),
  );
  return { refWords, correct, substitutions, deletions, insertions, errors, wer };
}

/**
 * Scores each annotation op the service has just stored (outcome `stored`) that belongs to a
 * gold use. Duplicates were scored when first stored; refused ops are not scored.
 */
export async function scoreGoldOps(
  tx: Repositories,
  account: string,
  ops: readonly AnnotationOp[],
  results: readonly OpResult[],
  now: number,
): Promise<number> {
  const stored = new Set(results.filter((r) => r.outcome === 'stored').map((r) => r.opId));
  let scored = 0;
  for (const op of ops) {
    if (!stored.has(op.opId)) {
      continue;
    }
    const answer = await tx.gold.answerFor(op.batchId, op.clipId);
    if (!answer) {
      continue;
    }
    const c = goldWordCounts(answer.reference, op.transcript);
    await tx.gold.addScore({
      opId: op.opId,
      account,
      batchId: op.batchId,
      clipId: op.clipId,
      revision: op.revision,
      counts: {
        refWords: c.refWords,
        correct: c.correct,
        substitutions: c.substitutions,
        deletions: c.deletions,
        insertions: c.insertions,
      },
      dispositionAgreed: op.disposition === answer.disposition,
      scoredAt: now,
    });
    scored += 1;
  }
  return scored;
}
