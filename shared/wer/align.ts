/**
 * Word alignment and word error rate, computed exactly as NIST sclite does by default so that
 * our counts and sclite's agree word for word (checked by test/shared/wer/sclite.test.ts).
 */

/** What happened to one word when the hypothesis is aligned to the reference. */
export const alignOps = ['correct', 'substitution', 'deletion', 'insertion'] as const;

/** One of {@link alignOps}. */
export type AlignOp = (typeof alignOps)[number];

/**
 * One step of an alignment, in reading order: a reference word and the hypothesis word it was
 * matched with; a deletion has no hypothesis word, an insertion no reference word.
 */
export type AlignedPair =
  | { readonly op: 'correct' | 'substitution'; readonly ref: string; readonly hyp: string }
  | { readonly op: 'deletion'; readonly ref: string; readonly hyp: null }
  | { readonly op: 'insertion'; readonly ref: null; readonly hyp: string };

/**
 * Word counts of one utterance or of many. `errors` is substitutions + deletions + insertions;
 * `wer` is errors / refWords (a fraction, so 0.25 is 25 %; it can exceed 1), or null when there
 * are no reference words, where the rate is not defined.
 */
export type WerCounts = {
  readonly refWords: number;
  readonly correct: number;
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
  readonly errors: number;
  readonly wer: number | null;
};

/** Counts plus the word-by-word alignment they were taken from (for a word-level diff). */
export type WerAlignment = WerCounts & { readonly pairs: readonly AlignedPair[] };

/**
 * sclite's default edit costs (`wwd_WORD` in its word.c): a match costs nothing, a
 * substitution 4, a deletion or an insertion 3. A substitution is cheaper than a deletion plus
 * an insertion, so two different words facing each other count as one error, not two.
 */
export const SCLITE_COSTS = { correct: 0, substitution: 4, deletion: 3, insertion: 3 } as const;

// Back-pointer codes, one byte per cell.
const DIAGONAL = 0;
const UP = 1; // deletion: a reference word with no hypothesis word
const LEFT = 2; // insertion: a hypothesis word with no reference word

/** Replaces each word by a small integer so the inner loop compares numbers, not strings. */
function toIds(ref: readonly string[], hyp: readonly string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>();
  const encode = (words: readonly string[]): Int32Array => {
    const out = new Int32Array(words.length);
    words.forEach((word, i) => {
      let id = ids.get(word);
      if (id === undefined) {
        id = ids.size;
        ids.set(word, id);
      }
      out[i] = id;
    });
    return out;
  };
  return [encode(ref), encode(hyp)];
}

/**
 * Fills the cost matrix row by row and returns the back pointers. Ties are broken as sclite's
 * `calculate_internal_cells` (net_dp.c) does: the diagonal (match or substitution) wins when it
 * is no worse than both others, then a deletion if strictly cheaper than an insertion, else an
 * insertion. The first row holds only insertions and the first column only deletions.
 */
function backPointers(ref: Int32Array, hyp: Int32Array): Uint8Array {
  const cols = hyp.length + 1;
  const back = new Uint8Array((ref.length + 1) * cols);
  let previous = new Int32Array(cols);
  let current = new Int32Array(cols);
  for (let j = 1; j < cols; j += 1) {
    previous[j] = j * SCLITE_COSTS.insertion;
    back[j] = LEFT;
  }
  for (let i = 1; i <= ref.length; i += 1) {
    const refId = ref[i - 1] as number;
    const row = i * cols;
    current[0] = i * SCLITE_COSTS.deletion;
    back[row] = UP;
    for (let j = 1; j < cols; j += 1) {
      const diagonal =
        (previous[j - 1] as number) + (refId === hyp[j - 1] ? SCLITE_COSTS.correct : SCLITE_COSTS.substitution);
      const up = (previous[j] as number) + SCLITE_COSTS.deletion;
      const left = (current[j - 1] as number) + SCLITE_COSTS.insertion;
      if (diagonal <= up && diagonal <= left) {
        current[j] = diagonal;
        back[row + j] = DIAGONAL;
      } else if (up < left) {
        current[j] = up;
        back[row + j] = UP;
      } else {
        current[j] = left;
        back[row + j] = LEFT;
      }
    }
    [previous, current] = [current, previous];
  }
  return back;
}

/** Word error rate: errors / reference words, or null when there are no reference words. */
export function werOf(errors: number, refWords: number): number | null {
  return refWords === 0 ? null : errors / refWords;
}

/**
 * Aligns hypothesis words to reference words (minimum-cost Levenshtein alignment with
 * {@link SCLITE_COSTS} and sclite's tie-breaking) and counts the errors.
 *
 * Words are compared exactly: normalise both sides first (`normaliseWords`). Runs in
 * O(ref × hyp) time with one byte of memory per cell and no recursion.
 */
export function alignWords(ref: readonly string[], hyp: readonly string[]): WerAlignment {
  const [refIds, hypIds] = toIds(ref, hyp);
  const back = backPointers(refIds, hypIds);
  const cols = hyp.length + 1;
  const reversed: AlignedPair[] = [];
  let correct = 0;
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  let i = ref.length;
  let j = hyp.length;
  while (i > 0 || j > 0) {
    const move = back[i * cols + j];
    if (move === DIAGONAL) {
      i -= 1;
      j -= 1;
      const r = ref[i] as string;
      const h = hyp[j] as string;
      if (refIds[i] === hypIds[j]) {
        correct += 1;
        reversed.push({ op: 'correct', ref: r, hyp: h });
      } else {
        substitutions += 1;
        reversed.push({ op: 'substitution', ref: r, hyp: h });
      }
    } else if (move === UP) {
      i -= 1;
      deletions += 1;
      reversed.push({ op: 'deletion', ref: ref[i] as string, hyp: null });
    } else {
      j -= 1;
      insertions += 1;
      reversed.push({ op: 'insertion', ref: null, hyp: hyp[j] as string });
    }
  }
  const errors = substitutions + deletions + insertions;
  return {
    refWords: ref.length,
    correct,
    substitutions,
    deletions,
    insertions,
    errors,
    wer: werOf(errors, ref.length),
    pairs: reversed.reverse(),
  };
}

/** Adds up the counts of many utterances; the total WER is total errors / total reference words. */
export function sumCounts(items: readonly WerCounts[]): WerCounts {
  let refWords = 0;
  let correct = 0;
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  for (const c of items) {
    refWords += c.refWords;
    correct += c.correct;
    substitutions += c.substitutions;
    deletions += c.deletions;
    insertions += c.insertions;
  }
  const errors = substitutions + deletions + insertions;
  return { refWords, correct, substitutions, deletions, insertions, errors, wer: werOf(errors, refWords) };
}
