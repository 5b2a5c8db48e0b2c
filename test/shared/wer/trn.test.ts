import { describe, expect, it } from 'vitest';
import { pairTrn, parseTrn, TrnError } from '../../../shared/wer/trn';

function problemsOf(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof TrnError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected a TrnError');
}

describe('parseTrn', () => {
  it('reads words and ids, skipping blank lines and keeping line numbers', () => {
    const source = '\uFEFFplease hold (u-1)\r\n\r\n   \n [noise] yes (maybe) (u-2)  \n(u-3)\n';
    expect(parseTrn(source, 'ref.trn')).toEqual([
      { id: 'u-1', text: 'please hold', line: 1 },
      { id: 'u-2', text: ' [noise] yes (maybe)', line: 4 },
      { id: 'u-3', text: '', line: 5 },
    ]);
  });

  it('reads an empty file as no utterances', () => {
    expect(parseTrn('', 'ref.trn')).toEqual([]);
  });

  it('names the line of an utterance without an id', () => {
    expect(problemsOf(() => parseTrn('ok (a)\nno id here\nalso (b) not at end\n', 'hyp.trn'))).toEqual([
      'hyp.trn line 2: no "(utterance-id)" at the end of the line',
      'hyp.trn line 3: no "(utterance-id)" at the end of the line',
    ]);
  });

  it('refuses an empty id or one with spaces', () => {
    expect(problemsOf(() => parseTrn('a ()\nb ( )\nc (two words)\n', 'r.trn'))).toEqual([
      'r.trn line 1: the utterance id "()" is empty or contains spaces',
      'r.trn line 2: the utterance id "()" is empty or contains spaces',
      'r.trn line 3: the utterance id "(two words)" is empty or contains spaces',
    ]);
  });

  it('refuses a duplicate id, naming both lines', () => {
    expect(problemsOf(() => parseTrn('a (u1)\nb (u2)\n\nc (u1)\n', 'ref.trn'))).toEqual([
      'ref.trn line 4: duplicate utterance id "u1" (first on line 1)',
    ]);
  });

  it('treats ids as case-sensitive', () => {
    expect(parseTrn('a (U1)\nb (u1)\n', 'ref.trn').map((u) => u.id)).toEqual(['U1', 'u1']);
  });

  it('reports at most twenty problems', () => {
    const problems = problemsOf(() => parseTrn('bad\n'.repeat(25), 'x.trn'));
    expect(problems).toHaveLength(21);
    expect(problems[20]).toBe('… and 5 more');
  });
});

describe('pairTrn', () => {
  const ref = parseTrn('one (a)\ntwo (b)\nthree (c)\n', 'ref.trn');

  it('pairs by id in reference order and lists references without a hypothesis', () => {
    const hyp = parseTrn('tree (c)\nwon (a)\n', 'hyp.trn');
    const { pairs, unscoredRefIds } = pairTrn(ref, hyp, 'hyp.trn');
    expect(pairs.map((p) => [p.id, p.ref.text, p.hyp.text])).toEqual([
      ['a', 'one', 'won'],
      ['c', 'three', 'tree'],
    ]);
    expect(unscoredRefIds).toEqual(['b']);
  });

  it('refuses hypothesis ids missing from the reference, with their lines', () => {
    const hyp = parseTrn('won (a)\nfour (d)\nfive (e)\n', 'hyp.trn');
    expect(problemsOf(() => pairTrn(ref, hyp, 'hyp.trn'))).toEqual([
      'hyp.trn line 2: utterance id "d" is not in the reference',
      'hyp.trn line 3: utterance id "e" is not in the reference',
    ]);
  });
});
