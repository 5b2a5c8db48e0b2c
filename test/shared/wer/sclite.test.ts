/**
 * Our word error rate against NIST sclite (Debian package sctk), the reference implementation:
 * every utterance's counts and alignment must be the same as sclite's.
 *
 * The fixtures are real: the English Asterisk prompts (Allison Smith's recordings) with their
 * human transcripts, and CMU PocketSphinx's unedited output for each
 * (scripts/wer-fixtures/make-trn.sh). Both sides are normalised by us and sclite is given the
 * normalised text, so the comparison is of alignment and counting alone.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runWerCli } from '../../../tools/wer';
import { alignWords, sumCounts, type WerCounts } from '../../../shared/wer/align';
import { normaliseWords } from '../../../shared/wer/normalise';
import { pairTrn, parseTrn } from '../../../shared/wer/trn';
import { makeTempDir } from '../../support/temp-dir';

const FIXTURES = resolve(__dirname, '../../fixtures/wer');
const REF = join(FIXTURES, 'ref.trn');
const HYP = join(FIXTURES, 'hyp.trn');

type WordPair = { readonly ref: readonly string[]; readonly hyp: readonly string[] };
type Counts = Pick<WerCounts, 'refWords' | 'correct' | 'substitutions' | 'deletions' | 'insertions'>;
type ScliteResult = Counts & { readonly ops: string };

const OP_LETTER = { correct: 'C', substitution: 'S', deletion: 'D', insertion: 'I' } as const;

/** Runs `sctk sclite` with the given arguments and returns its stdout; fails loudly without it. */
function sclite(args: readonly string[]): string {
  const run = spawnSync('sctk', ['sclite', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error !== undefined) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? 'NIST sclite is not installed: apt-get install sctk (it provides `sctk sclite`; .ci/run installs it).'
        : `could not run sctk sclite: ${run.error.message}`,
    );
  }
  if (run.status !== 0 || run.stdout.trim() === '') {
    throw new Error(`sctk sclite ${args.join(' ')} failed (exit ${String(run.status)}):\n${run.stderr}${run.stdout}`);
  }
  return run.stdout;
}

function ours(pair: WordPair): ScliteResult {
  const a = alignWords(pair.ref, pair.hyp);
  const { refWords, correct, substitutions, deletions, insertions } = a;
  return { refWords, correct, substitutions, deletions, insertions, ops: a.pairs.map((p) => OP_LETTER[p.op]).join('') };
}

/**
 * Scores word pairs with sclite. Utterance i gets the id `(u-i)`: sclite lowercases ids and
 * reads the part before "-" as the speaker, so we choose ids it cannot change.
 */
function scoreWithSclite(pairs: readonly WordPair[], dir: string): ScliteResult[] {
  const id = (i: number): string => `(u-${String(i).padStart(5, '0')})`;
  const ref = join(dir, 'ref.trn');
  const hyp = join(dir, 'hyp.trn');
  writeFileSync(ref, pairs.map((p, i) => `${p.ref.join(' ')} ${id(i)}\n`).join(''));
  writeFileSync(hyp, pairs.map((p, i) => `${p.hyp.join(' ')} ${id(i)}\n`).join(''));
  const sgml = sclite(['-r', ref, 'trn', '-h', hyp, 'trn', '-i', 'rm', '-o', 'sgml', 'stdout']);

  const byId = new Map<string, ScliteResult>();
  for (const m of sgml.matchAll(/<PATH id="([^"]*)"[^>]*>\n([^<]*)<\/PATH>/gu)) {
    const body = (m[2] ?? '').trim();
    const letters = body === '' ? [] : body.split(':').map((entry) => /^([CSDI]),/u.exec(entry)?.[1] ?? '?');
    const count = (l: string): number => letters.filter((x) => x === l).length;
    const [correct, substitutions, deletions, insertions] = ['C', 'S', 'D', 'I'].map(count) as [
      number,
      number,
      number,
      number,
    ];
    byId.set(m[1] ?? '', {
      refWords: correct + substitutions + deletions,
      correct,
      substitutions,
      deletions,
      insertions,
      ops: letters.join(''),
    });
  }
  expect(byId.size, 'sclite scored every utterance').toBe(pairs.length);
  return pairs.map((_, i) => {
    const result = byId.get(id(i));
    if (result === undefined) {
      throw new Error(`sclite did not score ${id(i)}`);
    }
    return result;
  });
}

/** sclite's own total line from its raw-count summary: `| Sum | #Snt #Wrd | Corr Sub Del Ins Err S.Err |`. */
function scliteRawTotal(dir: string): Counts & { readonly sentences: number } {
  const report = sclite([
    '-r',
    join(dir, 'ref.trn'),
    'trn',
    '-h',
    join(dir, 'hyp.trn'),
    'trn',
    '-i',
    'rm',
    '-o',
    'rsum',
    'stdout',
  ]);
  const line = report.split('\n').find((l) => /^\s*\|\s*Sum\s*\|/u.test(l));
  const n = line?.match(/\d+/gu)?.map(Number);
  if (n === undefined || n.length < 6) {
    throw new Error(`no Sum line in sclite's rsum report:\n${report}`);
  }
  const [sentences, refWords, correct, substitutions, deletions, insertions] = n as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { sentences, refWords, correct, substitutions, deletions, insertions };
}

function captureStdout(action: () => number): { code: number; out: string } {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  try {
    return { code: action(), out };
  } finally {
    spy.mockRestore();
  }
}

describe('word error rate against NIST sclite', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    tmp = makeTempDir('earmark-wer-');
  });
  afterAll(() => tmp.remove());

  const fixture = pairTrn(parseTrn(readFileSync(REF, 'utf8'), REF), parseTrn(readFileSync(HYP, 'utf8'), HYP), HYP);

  it('has at least 200 real utterances with a hypothesis each', () => {
    expect(fixture.pairs.length).toBeGreaterThanOrEqual(200);
    expect(fixture.unscoredRefIds).toEqual([]);
  });

  it('counts every real utterance, and the total, exactly as sclite does', () => {
    const pairs = fixture.pairs.map((p) => ({ ref: normaliseWords(p.ref.text), hyp: normaliseWords(p.hyp.text) }));
    const theirs = scoreWithSclite(pairs, tmp.dir);
    const mine = pairs.map(ours);
    const disagreements = fixture.pairs
      .map((p, i) => ({ id: p.id, ours: mine[i], sclite: theirs[i] }))
      .filter((d) => JSON.stringify(d.ours) !== JSON.stringify(d.sclite));
    expect(disagreements).toEqual([]);

    const total = sumCounts(pairs.map((p) => alignWords(p.ref, p.hyp)));
    const scliteTotal = scliteRawTotal(tmp.dir);
    expect(scliteTotal).toEqual({
      sentences: pairs.length,
      refWords: total.refWords,
      correct: total.correct,
      substitutions: total.substitutions,
      deletions: total.deletions,
      insertions: total.insertions,
    });
    // Real recogniser output on telephone prompts: plenty of every kind of error to compare.
    expect(total.substitutions).toBeGreaterThan(100);
    expect(total.deletions).toBeGreaterThan(20);
    expect(total.insertions).toBeGreaterThan(20);
  }, 60_000);

  it('prints the same counts as sclite from the CLI with --json', () => {
    const pairs = fixture.pairs.map((p) => ({ ref: normaliseWords(p.ref.text), hyp: normaliseWords(p.hyp.text) }));
    const theirs = scoreWithSclite(pairs, tmp.dir);
    const { code, out } = captureStdout(() => runWerCli(['--ref', REF, '--hyp', HYP, '--json']));
    expect(code).toBe(0);
    const lines = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(pairs.length + 1);
    fixture.pairs.forEach((p, i) => {
      const s = theirs[i] as ScliteResult;
      const errors = s.substitutions + s.deletions + s.insertions;
      expect(lines[i]).toEqual({
        type: 'utterance',
        id: p.id,
        refWords: s.refWords,
        correct: s.correct,
        substitutions: s.substitutions,
        deletions: s.deletions,
        insertions: s.insertions,
        errors,
        wer: s.refWords === 0 ? null : errors / s.refWords,
      });
    });
    expect(lines[pairs.length]).toMatchObject({ type: 'total', utterances: pairs.length });
  }, 60_000);

  it('breaks ties as sclite does on many near-identical word strings', () => {
    // Three-word vocabulary and short strings: many alignments of equal cost, and empty sides.
    let seed = 20240611;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % n;
    };
    const sentence = (): string[] => Array.from({ length: random(8) }, () => ['a', 'b', 'c'][random(3)] as string);
    const pairs = Array.from({ length: 500 }, () => ({ ref: sentence(), hyp: sentence() }));
    const theirs = scoreWithSclite(pairs, tmp.dir);
    const disagreements = pairs
      .map((p, i) => ({ ref: p.ref.join(' '), hyp: p.hyp.join(' '), ours: ours(p), sclite: theirs[i] }))
      .filter((d) => JSON.stringify(d.ours) !== JSON.stringify(d.sclite));
    expect(disagreements).toEqual([]);
  }, 60_000);
});
