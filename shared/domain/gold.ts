/**
 * Gold figures: how a reviewer did on gold clips, clips whose right answer only the service
 * holds (docs/gold-clips.md). Numbers only; which clips were gold is never said.
 */

/**
 * Gold figures of a shift, or pooled over several. `wer` pools the words (all errors ÷ all
 * reference words, as `npm run wer` totals them), null when no gold clip had reference words;
 * `dispositionAgreement` is the share of gold clips whose disposition matched, null with none.
 */
export type GoldFigures = {
  readonly clips: number;
  readonly wordErrors: number;
  readonly referenceWords: number;
  readonly wer: number | null;
  readonly dispositionsAgreed: number;
  readonly dispositionAgreement: number | null;
};

/** One shift's gold figures, as a team report carries them beside its summaries. */
export type ShiftGold = GoldFigures & { readonly shiftId: string };
