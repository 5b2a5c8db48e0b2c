/**
 * Word alignment cost: the time for one 40-word utterance, the size of a long voice command.
 * A timing, so it lives here and not in the unit tests, where a loaded machine makes it flaky.
 */
import { alignWords } from '../shared/wer/align';
import { median, round, timeMs } from './stats';

export type WerBench = {
  readonly wer_align_40_words_us: number;
};

export function runWerBench(runs = 2000, rounds = 5): WerBench {
  const ref = Array.from({ length: 40 }, (_, i) => `word${i % 23}`);
  const hyp = ref.map((w, i) => (i % 5 === 0 ? `other${i}` : w)).filter((_, i) => i % 11 !== 3);
  alignWords(ref, hyp); // warm up the JIT
  const perRunMs = Array.from(
    { length: rounds },
    () =>
      timeMs(() => {
        for (let k = 0; k < runs; k += 1) {
          alignWords(ref, hyp);
        }
      }) / runs,
  );
  return { wer_align_40_words_us: round(median(perRunMs) * 1000, 1) };
}
