/**
 * Accuracy beside speed: the gold figures of a shift, or of a reviewer over many shifts, from
 * the scores the service kept of their gold submissions (docs/gold-clips.md). Pure.
 */
import type { GoldFigures } from '../domain/gold';
import { werOf } from '../wer/align';

export type { GoldFigures };

/** One scored gold clip: its latest revision's word counts against the reference, and the disposition check. */
export type GoldClipScore = {
  readonly referenceWords: number;
  /** Substitutions + deletions + insertions. */
  readonly wordErrors: number;
  readonly dispositionAgreed: boolean;
};

const figuresOf = (clips: number, wordErrors: number, referenceWords: number, agreed: number): GoldFigures => ({
  clips,
  wordErrors,
  referenceWords,
  wer: werOf(wordErrors, referenceWords),
  dispositionsAgreed: agreed,
  dispositionAgreement: clips === 0 ? null : agreed / clips,
});

/** The figures of a set of scored gold clips (a shift's). */
export function goldFigures(scores: readonly GoldClipScore[]): GoldFigures {
  return figuresOf(
    scores.length,
    scores.reduce((n, s) => n + s.wordErrors, 0),
    scores.reduce((n, s) => n + s.referenceWords, 0),
    scores.filter((s) => s.dispositionAgreed).length,
  );
}

/** Many shifts' figures pooled into one (a reviewer's over a report). */
export function poolGoldFigures(figures: readonly GoldFigures[]): GoldFigures {
  return figuresOf(
    figures.reduce((n, f) => n + f.clips, 0),
    figures.reduce((n, f) => n + f.wordErrors, 0),
    figures.reduce((n, f) => n + f.referenceWords, 0),
    figures.reduce((n, f) => n + f.dispositionsAgreed, 0),
  );
}

/** A shift without gold clips. */
export const NO_GOLD: GoldFigures = goldFigures([]);
