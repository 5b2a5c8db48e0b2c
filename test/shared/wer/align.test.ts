import { describe, expect, it } from 'vitest';
import { alignWords, SCLITE_COSTS, sumCounts, type AlignedPair } from '../../../shared/wer/align';

const words = (text: string): string[] => (text === '' ? [] : text.split(' '));
const align = (ref: string, hyp: string): ReturnType<typeof alignWords> => alignWords(words(ref), words(hyp));
const ops = (pairs: readonly AlignedPair[]): string => pairs.map((p) => p.op[0]?.toUpperCase()).join('');

describe('alignWords', () => {
  it('uses sclite default costs', () => {
    expect(SCLITE_COSTS).toEqual({ correct: 0, substitution: 4, deletion: 3, insertion: 3 });
  });

  it('counts a perfect match as all correct', () => {
    const a = align('please hold the line', 'please hold the line');
    expect(a).toMatchObject({
      refWords: 4,
      correct: 4,
      substitutions: 0,
      deletions: 0,
      insertions: 0,
      errors: 0,
      wer: 0,
    });
    expect(ops(a.pairs)).toBe('CCCC');
  });

  it('counts substitutions, deletions and insertions and pairs the words', () => {
    const a = align('a b c', 'a x c d');
    expect(a).toMatchObject({ refWords: 3, correct: 2, substitutions: 1, deletions: 0, insertions: 1, errors: 2 });
    expect(a.wer).toBeCloseTo(2 / 3, 12);
    expect(a.pairs).toEqual([
      { op: 'correct', ref: 'a', hyp: 'a' },
      { op: 'substitution', ref: 'b', hyp: 'x' },
      { op: 'correct', ref: 'c', hyp: 'c' },
      { op: 'insertion', ref: null, hyp: 'd' },
    ]);
  });

  it('scores an empty hypothesis as all deletions', () => {
    const a = align('hello world', '');
    expect(a).toMatchObject({
      refWords: 2,
      correct: 0,
      substitutions: 0,
      deletions: 2,
      insertions: 0,
      errors: 2,
      wer: 1,
    });
    expect(a.pairs).toEqual([
      { op: 'deletion', ref: 'hello', hyp: null },
      { op: 'deletion', ref: 'world', hyp: null },
    ]);
  });

  it('scores an empty reference as all insertions, with no defined rate', () => {
    const a = align('', 'foo bar');
    expect(a).toMatchObject({
      refWords: 0,
      correct: 0,
      substitutions: 0,
      deletions: 0,
      insertions: 2,
      errors: 2,
      wer: null,
    });
    expect(ops(a.pairs)).toBe('II');
  });

  it('scores two empty sides as nothing at all', () => {
    expect(align('', '')).toEqual({
      refWords: 0,
      correct: 0,
      substitutions: 0,
      deletions: 0,
      insertions: 0,
      errors: 0,
      wer: null,
      pairs: [],
    });
  });

  it('counts extra words around a correct reference as insertions', () => {
    const a = align('yes', 'oh yes yes please');
    expect(a).toMatchObject({
      refWords: 1,
      correct: 1,
      substitutions: 0,
      deletions: 0,
      insertions: 3,
      errors: 3,
      wer: 3,
    });
    // sclite matches the later "yes": at equal cost the back-trace takes the diagonal first.
    expect(ops(a.pairs)).toBe('IICI');
  });

  it('prefers one substitution to a deletion plus an insertion', () => {
    expect(ops(align('cat', 'dog').pairs)).toBe('S');
  });

  it('breaks ties like sclite: diagonal first, then an insertion over a deletion, from the end', () => {
    // What sclite 2.10 prints for these pairs; the first two also have another alignment of equal cost.
    expect(ops(align('a b', 'b a').pairs)).toBe('DCI');
    expect(ops(align('a b c', 'c a b').pairs)).toBe('ICCD');
    expect(ops(align('x y', 'y x y').pairs)).toBe('ICC');
    expect(ops(align('a a b', 'a b b').pairs)).toBe('CSC');
  });

  it('takes no recursion and little time on long utterances', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `w${i % 37}`);
    const a = alignWords(long, long.slice(1));
    expect(a).toMatchObject({ refWords: 5000, deletions: 1, errors: 1 });
  });

  it('aligns a 40-word utterance, every word accounted for once', () => {
    // Its speed is a bench figure (wer_align_40_words_us), not a test: timings fail on a loaded machine.
    const ref = Array.from({ length: 40 }, (_, i) => `word${i % 23}`);
    const hyp = ref.map((w, i) => (i % 5 === 0 ? `other${i}` : w)).filter((_, i) => i % 11 !== 3);
    const a = alignWords(ref, hyp);
    expect(a).toMatchObject({ refWords: 40, correct: 29, substitutions: 7, deletions: 4, insertions: 0 });
    expect(a.correct + a.substitutions + a.deletions).toBe(40);
    expect(a.pairs.filter((p) => p.hyp !== null)).toHaveLength(hyp.length);
  });
});

describe('sumCounts', () => {
  it('adds counts and computes the total rate from the totals', () => {
    const total = sumCounts([align('a b c d', 'a b c d'), align('x', 'y z'), align('', 'q')]);
    expect(total).toEqual({
      refWords: 5,
      correct: 4,
      substitutions: 1,
      deletions: 0,
      insertions: 2,
      errors: 3,
      wer: 3 / 5,
    });
  });

  it('has no defined rate without reference words', () => {
    expect(sumCounts([]).wer).toBeNull();
  });
});
