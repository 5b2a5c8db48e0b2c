/**
 * The live diff's one dependency on the WER module: the reviewer's transcript is the
 * reference, the recognizer's hypothesis is scored against it, exactly as reports score it.
 */
import { alignWords, type AlignedPair, type WerAlignment } from '../../shared/wer/align';
import { normaliseWords } from '../../shared/wer/normalise';

export type { AlignedPair, WerAlignment };

/** Aligns the hypothesis to the transcript word by word, with the clip's WER. */
export function diffWords(transcript: string, hypothesis: string): WerAlignment {
  return alignWords(normaliseWords(transcript), normaliseWords(hypothesis));
}
