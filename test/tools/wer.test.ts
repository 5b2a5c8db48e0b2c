import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runWerCli } from '../../tools/wer';
import { runCli, type CliRun } from '../support/run-cli';
import { makeTempDir } from '../support/temp-dir';

const run = (...argv: string[]): CliRun => runCli(runWerCli, argv);

describe('wer CLI', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let ref: string;
  let hyp: string;

  beforeEach(() => {
    tmp = makeTempDir('earmark-wer-cli-');
    ref = join(tmp.dir, 'ref.trn');
    hyp = join(tmp.dir, 'hyp.trn');
    writeFileSync(ref, "[noise] Please hold, don't hang up. (u1)\nturn on the lights (u2)\n(u3)\nnever heard (u4)\n");
    writeFileSync(hyp, 'please old dont hang up up (u1)\n(u2)\nhello (u3)\n');
  });
  afterEach(() => tmp.remove());

  it('prints a table per utterance and a total, normalising both sides', () => {
    const r = run('--ref', ref, '--hyp', hyp);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^utterance\s+ref\s+corr\s+sub\s+del\s+ins\s+err\s+wer$/u);
    expect(lines[2]).toMatch(/^u1\s+5\s+3\s+2\s+0\s+1\s+3\s+60\.0%$/u);
    expect(lines[3]).toMatch(/^u2\s+4\s+0\s+0\s+4\s+0\s+4\s+100\.0%$/u);
    expect(lines[4]).toMatch(/^u3\s+0\s+0\s+0\s+0\s+1\s+1\s+-$/u);
    expect(lines[6]).toMatch(/^TOTAL \(3 utterances\)\s+9\s+3\s+2\s+4\s+2\s+8\s+88\.9%$/u);
    expect(r.err).toBe('note: 1 reference utterance(s) have no hypothesis and are not scored: u4\n');
  });

  it('prints one JSON object per utterance and a total with --json', () => {
    const r = run('--ref', ref, '--hyp', hyp, '--json');
    expect(r.code).toBe(0);
    expect(
      r.out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      {
        type: 'utterance',
        id: 'u1',
        refWords: 5,
        correct: 3,
        substitutions: 2,
        deletions: 0,
        insertions: 1,
        errors: 3,
        wer: 0.6,
      },
      {
        type: 'utterance',
        id: 'u2',
        refWords: 4,
        correct: 0,
        substitutions: 0,
        deletions: 4,
        insertions: 0,
        errors: 4,
        wer: 1,
      },
      {
        type: 'utterance',
        id: 'u3',
        refWords: 0,
        correct: 0,
        substitutions: 0,
        deletions: 0,
        insertions: 1,
        errors: 1,
        wer: null,
      },
      {
        type: 'total',
        utterances: 3,
        refWords: 9,
        correct: 3,
        substitutions: 2,
        deletions: 4,
        insertions: 2,
        errors: 8,
        wer: 8 / 9,
      },
    ]);
  });

  it('explains usage errors and exits 2', () => {
    for (const argv of [
      [],
      ['--ref', ref],
      ['--ref', ref, '--hyp', hyp, 'extra'],
      ['--ref', ref, '--hyp', hyp, '--frobnicate'],
    ]) {
      const r = run(...argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^error: .+\nUsage: npm run wer -- --ref REF\.trn --hyp HYP\.trn \[--json\]\n$/u);
    }
  });

  it('prints usage for --help', () => {
    const r = run('--help');
    expect(r).toEqual({ code: 0, out: 'Usage: npm run wer -- --ref REF.trn --hyp HYP.trn [--json]\n', err: '' });
  });

  it('names an unreadable file without a stack trace', () => {
    const missing = run('--ref', join(tmp.dir, 'nope.trn'), '--hyp', hyp);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(
      `error: cannot read the reference file "${join(tmp.dir, 'nope.trn')}": no such file.`,
    );
    const folder = join(tmp.dir, 'folder');
    mkdirSync(folder);
    const dir = run('--ref', ref, '--hyp', folder);
    expect(dir.code).toBe(2);
    expect(dir.err).toContain('it is a folder');
    expect(`${missing.err}${dir.err}`).not.toMatch(/\n\s+at /u);
  });

  it('reports bad trn lines with file and line, and exits 1', () => {
    writeFileSync(hyp, 'fine (u1)\nno id\nagain (u1)\n');
    const r = run('--ref', ref, '--hyp', hyp);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `error: ${hyp} line 2: no "(utterance-id)" at the end of the line\nerror: ${hyp} line 3: duplicate utterance id "u1" (first on line 1)\n`,
    );
  });

  it('refuses hypothesis ids that the reference lacks', () => {
    writeFileSync(hyp, 'fine (u1)\nstray (u9)\n');
    const r = run('--ref', ref, '--hyp', hyp);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error: ${hyp} line 2: utterance id "u9" is not in the reference\n`);
  });
});
