/**
 * NIST trn transcript files, as sclite reads them: one utterance per line, its words followed
 * by the utterance id in parentheses, e.g. `please hold (allison-pls-hold)`.
 */

/** One line of a trn file: the raw text (not yet normalised), its id and its line number. */
export type TrnUtterance = { readonly id: string; readonly text: string; readonly line: number };

/** A reference and a hypothesis with the same utterance id. */
export type TrnPair = { readonly id: string; readonly ref: TrnUtterance; readonly hyp: TrnUtterance };

/** The utterances to score, and reference ids that have no hypothesis. */
export type TrnPairing = { readonly pairs: readonly TrnPair[]; readonly unscoredRefIds: readonly string[] };

/** A trn file, or a pair of them, that cannot be scored; `problems` name file and line. */
export class TrnError extends Error {
  /** Every problem found, one sentence each, e.g. `hyp.trn line 4: duplicate id "u1" (first on line 2)`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'TrnError';
    this.problems = problems;
  }
}

/** The words, then `(id)` closing the line. The text may hold parentheses of its own. */
const LINE = /^(.*?)\s*\(([^()]*)\)\s*$/su;

/** Reports at most this many problems per file: a wrong file would otherwise flood the screen. */
const MAX_PROBLEMS = 20;

/**
 * Parses a trn file. Blank lines are ignored; ids are case-sensitive and must not be empty,
 * contain whitespace, or repeat. Line endings may be LF or CRLF; a leading BOM is ignored.
 *
 * @param source the file's text
 * @param name how problems refer to the file, e.g. its path
 * @throws {TrnError} listing every bad line (a line without a closing `(id)`, an empty or
 *   spaced id, a duplicate id), up to 20
 */
export function parseTrn(source: string, name: string): TrnUtterance[] {
  const lines = source.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  const utterances: TrnUtterance[] = [];
  const firstLine = new Map<string, number>();
  const problems: string[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') {
      return;
    }
    const match = LINE.exec(raw);
    const id = match?.[2]?.trim();
    if (match === null || id === undefined) {
      problems.push(`${name} line ${line}: no "(utterance-id)" at the end of the line`);
      return;
    }
    if (id === '' || /\s/u.test(id)) {
      problems.push(`${name} line ${line}: the utterance id "(${id})" is empty or contains spaces`);
      return;
    }
    const seen = firstLine.get(id);
    if (seen !== undefined) {
      problems.push(`${name} line ${line}: duplicate utterance id "${id}" (first on line ${seen})`);
      return;
    }
    firstLine.set(id, line);
    utterances.push({ id, text: match[1] ?? '', line });
  });
  if (problems.length > 0) {
    throw new TrnError(capped(problems));
  }
  return utterances;
}

/**
 * Matches hypotheses to references by id, in reference order. Like sclite, a reference without
 * a hypothesis is not scored (its id is returned in `unscoredRefIds`), and a hypothesis
 * without a reference is an error.
 *
 * @param hypName how problems refer to the hypothesis file
 * @throws {TrnError} naming each hypothesis id (and its line) missing from the reference
 */
export function pairTrn(ref: readonly TrnUtterance[], hyp: readonly TrnUtterance[], hypName: string): TrnPairing {
  const refIds = new Set(ref.map((u) => u.id));
  const problems = hyp
    .filter((u) => !refIds.has(u.id))
    .map((u) => `${hypName} line ${u.line}: utterance id "${u.id}" is not in the reference`);
  if (problems.length > 0) {
    throw new TrnError(capped(problems));
  }
  const byId = new Map(hyp.map((u) => [u.id, u]));
  const pairs: TrnPair[] = [];
  const unscoredRefIds: string[] = [];
  for (const r of ref) {
    const h = byId.get(r.id);
    if (h === undefined) {
      unscoredRefIds.push(r.id);
    } else {
      pairs.push({ id: r.id, ref: r, hyp: h });
    }
  }
  return { pairs, unscoredRefIds };
}

function capped(problems: readonly string[]): string[] {
  return problems.length <= MAX_PROBLEMS
    ? [...problems]
    : [...problems.slice(0, MAX_PROBLEMS), `… and ${problems.length - MAX_PROBLEMS} more`];
}
