/**
 * `npm run wer -- --ref REF.trn --hyp HYP.trn [--json]`: word error rate of NIST trn files.
 *
 * Both files are normalised with shared/wer/normalise.ts and aligned with sclite's costs
 * (shared/wer/align.ts). Prints a table per utterance and a total, or with --json one JSON
 * object per line per utterance and a final total object (shapes in docs/wer.md).
 * Bad input prints a clear message and exits non-zero; no stack traces.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { alignWords, sumCounts, type WerCounts } from '../shared/wer/align';
import { normaliseWords } from '../shared/wer/normalise';
import { pairTrn, parseTrn, TrnError } from '../shared/wer/trn';

const USAGE = 'Usage: npm run wer -- --ref REF.trn --hyp HYP.trn [--json]';

class UsageError extends Error {}

/** Scores of one utterance, by id. */
type Scored = { readonly id: string; readonly counts: WerCounts };

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'error');
    throw new UsageError(`cannot read the ${what} file "${path}": ${why}.`);
  }
}

/** Only the counts, in the documented key order (no aligned pairs). */
function countsOf(c: WerCounts): WerCounts {
  const { refWords, correct, substitutions, deletions, insertions, errors, wer } = c;
  return { refWords, correct, substitutions, deletions, insertions, errors, wer };
}

function percent(wer: number | null): string {
  return wer === null ? '-' : `${(wer * 100).toFixed(1)}%`;
}

function printTable(scored: readonly Scored[], total: WerCounts): void {
  const totalLabel = `TOTAL (${scored.length} utterances)`;
  const idWidth = Math.max('utterance'.length, totalLabel.length, ...scored.map((s) => s.id.length));
  const heads = ['ref', 'corr', 'sub', 'del', 'ins', 'err'];
  const widths = heads.map((h) => Math.max(h.length, String(total.refWords).length));
  const row = (label: string, c: WerCounts): string =>
    [
      label.padEnd(idWidth),
      ...[c.refWords, c.correct, c.substitutions, c.deletions, c.insertions, c.errors].map((n, k) =>
        String(n).padStart(widths[k] ?? 0),
      ),
      percent(c.wer).padStart(7),
    ].join('  ');
  const header = [
    'utterance'.padEnd(idWidth),
    ...heads.map((h, k) => h.padStart(widths[k] ?? 0)),
    'wer'.padStart(7),
  ].join('  ');
  out(header);
  out('-'.repeat(header.length));
  scored.forEach((s) => out(row(s.id, s.counts)));
  out('-'.repeat(header.length));
  out(row(totalLabel, total));
}

function run(args: readonly string[]): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { ref: { type: 'string' }, hyp: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help === true) {
    out(USAGE);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0] ?? ''}".`);
  }
  if (values.ref === undefined || values.hyp === undefined) {
    throw new UsageError('both --ref REF.trn and --hyp HYP.trn are needed.');
  }
  const ref = parseTrn(readText(values.ref, 'reference'), values.ref);
  const hyp = parseTrn(readText(values.hyp, 'hypothesis'), values.hyp);
  const { pairs, unscoredRefIds } = pairTrn(ref, hyp, values.hyp);
  if (unscoredRefIds.length > 0) {
    process.stderr.write(
      `note: ${unscoredRefIds.length} reference utterance(s) have no hypothesis and are not scored: ${unscoredRefIds.slice(0, 5).join(', ')}${unscoredRefIds.length > 5 ? ', …' : ''}\n`,
    );
  }
  const scored: Scored[] = pairs.map((p) => ({
    id: p.id,
    counts: countsOf(alignWords(normaliseWords(p.ref.text), normaliseWords(p.hyp.text))),
  }));
  const total = sumCounts(scored.map((s) => s.counts));
  if (values.json === true) {
    scored.forEach((s) => out(JSON.stringify({ type: 'utterance', id: s.id, ...s.counts })));
    out(JSON.stringify({ type: 'total', utterances: scored.length, ...total }));
  } else {
    printTable(scored, total);
  }
  return 0;
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}

/** Runs one CLI invocation and returns its exit code: 0 done, 1 bad trn content, 2 usage or unreadable file. */
export function runWerCli(argv: readonly string[]): number {
  try {
    return run(argv);
  } catch (error) {
    if (error instanceof TrnError) {
      error.problems.forEach((p) => process.stderr.write(`error: ${p}\n`));
      return 1;
    }
    if (error instanceof UsageError || isParseArgsError(error)) {
      process.stderr.write(`error: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = runWerCli(process.argv.slice(2));
}
