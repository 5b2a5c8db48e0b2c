/**
 * SQLite's `quick_check` before anything writes: a damaged page (a bad sector, a file another
 * program wrote into) is found at start instead of by the reviewer's next submit, and the app
 * stops before it adds work to a file that may not keep it. On a 10,000-clip database (113 MB)
 * the check reads every b-tree page in about 0.1 s, so it runs at every start. It does not read
 * the contents of overflow pages (clip audio), whose damage the clip's GCM tag reveals on open.
 */
import type { Connection } from './connection';

/** How many problems the check lists before it stops: the first few name the damage enough. */
const MAX_PROBLEMS = 10;

/** The database is damaged; `code` is SQLite's, so it maps to the reviewer's STORAGE_CORRUPT. */
export class DatabaseCorruptError extends Error {
  override readonly name = 'DatabaseCorruptError';
  readonly code = 'SQLITE_CORRUPT';
  /** What `quick_check` reported (page numbers and b-tree names, no content), for the log. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('The review database is damaged.');
    this.problems = problems;
  }
}

/** SQLite refusing to read a page at all is the same finding as a check that lists it. */
function isCorruptionCode(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)(_|$)/.test(code);
}

/** The problems `quick_check` finds on `db`; empty when the file is sound. */
export function quickCheck(db: Connection): readonly string[] {
  try {
    const rows = db.pragma(`quick_check(${MAX_PROBLEMS})`) as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check);
    return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
  } catch (error) {
    if (isCorruptionCode(error)) {
      return [(error as { code: string }).code];
    }
    throw error;
  }
}

/** Throws DatabaseCorruptError when `db` fails its quick check. */
export function assertSound(db: Connection): void {
  const problems = quickCheck(db);
  if (problems.length > 0) {
    throw new DatabaseCorruptError(problems);
  }
}
