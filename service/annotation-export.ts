/**
 * The annotations the service holds, written out for the people who use them: every revision or
 * the current ones, as JSON Lines or as NIST trn, a page at a time after a cursor (the stored
 * ops' `serverSeq`). Transcripts leave as the workstation sent them, with every critical span
 * already replaced by `[CRITICAL:<category>]` (the critical text never reaches the service); a
 * clip whose consent was withdrawn is marked so, with nothing of what was said of it, and its
 * withdrawal is a record of its own, after the clip's revisions, so that an export resumed from a
 * cursor taken before it learns of it.
 */
import { annotationOpSchema, type AnnotationOp } from '../shared/sync/messages';
import type { ExportedAnnotation, ExportedRecord, Repositories } from './store/repositories';

export const exportFormats = ['jsonl', 'trn'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportRevisions = ['all', 'current'] as const;
/** `all`: every revision stored; `current`: only those still their clip's latest when read. */
export type ExportRevisions = (typeof exportRevisions)[number];

/** The largest page an export reads at once. */
export const MAX_EXPORT_PAGE = 10_000;
export const DEFAULT_EXPORT_PAGE = 1_000;

export type ExportRequest = {
  readonly batchId?: string;
  /** The cursor: rows after this `serverSeq` (0 for the start). */
  readonly afterSeq: number;
  readonly limit: number;
  readonly revisions: ExportRevisions;
  readonly format: ExportFormat;
};

/** One revision as a JSON Lines export writes it. */
export type ExportedRevision = {
  readonly record: 'revision';
  readonly seq: number;
  readonly batchId: string;
  readonly clipId: string;
  readonly revision: number;
  readonly opId: string;
  /** The reviewer's pseudonym, never the account name. */
  readonly reviewer: string;
  /** Still the clip's latest revision when the page was read. */
  readonly current: boolean;
  /** The clip is a use of a gold clip (its right answer is held by the service). */
  readonly gold: boolean;
  readonly receivedAt: number;
} & (
  | { readonly withdrawn: true }
  | (Pick<AnnotationOp, 'disposition' | 'transcript' | 'criticalCategories' | 'entities' | 'submittedAt'> & {
      readonly withdrawn: false;
    })
);

/**
 * A clip's consent withdrawn, as a JSON Lines export writes it: whoever holds anything of the
 * clip erases it. Its seq is above those of the clip's revisions.
 */
export type ExportedWithdrawalLine = {
  readonly record: 'withdrawal';
  readonly seq: number;
  readonly batchId: string;
  readonly clipId: string;
  readonly withdrawn: true;
};

/** One line of a JSON Lines export. */
export type ExportLine = ExportedRevision | ExportedWithdrawalLine;

export type ExportPage = {
  /** The page's bytes: one line per record, each ending in a newline. */
  readonly body: string;
  /** How many lines the page holds. */
  readonly lines: number;
  /** The cursor to resume from: the last row read, or the one asked for when none was. */
  readonly nextCursor: number;
  /** Fewer rows than the limit were read: nothing more is stored after `nextCursor` yet. */
  readonly complete: boolean;
};

/** A withdrawn clip's rows keep only their ids and this mark (OpRepository.eraseClip). */
const isTombstone = (payload: unknown): boolean =>
  typeof payload === 'object' && payload !== null && (payload as { withdrawn?: unknown }).withdrawn === true;

/** One stored row as an export shows it; `gold` and `reviewer` come from the caller's lookups. */
export function toExportedRevision(row: ExportedAnnotation, reviewer: string, gold: boolean): ExportedRevision {
  const base = {
    record: 'revision',
    seq: row.seq,
    batchId: row.batchId,
    clipId: row.clipId,
    revision: row.revision,
    opId: row.opId,
    reviewer,
    current: row.current,
    gold,
    receivedAt: row.receivedAt,
  } as const;
  const payload: unknown = JSON.parse(row.payload);
  if (isTombstone(payload)) {
    return { ...base, withdrawn: true };
  }
  // Stored ops passed this schema on the way in; a row that no longer does is a broken store.
  const op = annotationOpSchema.parse(payload);
  return {
    ...base,
    withdrawn: false,
    disposition: op.disposition,
    transcript: op.transcript,
    criticalCategories: op.criticalCategories,
    entities: op.entities,
    submittedAt: op.submittedAt,
  };
}

/**
 * A transcript as a trn line holds it: white space (line breaks included) becomes single spaces,
 * and the characters trn gives a meaning of its own (parentheses end a line with its id and mark
 * optional words; braces and slashes mark alternatives) are dropped.
 */
export function trnText(transcript: string): string {
  return transcript
    .replace(/[(){}/]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A revision's trn utterance id: the batch id without its `b-`, a `-`, then the clip id, like
 * `CYZMB5XZKN2BESXB-c-AAAAAAAAAAAAAAA1`. sclite (`-i spu_id`) reads the text before the first `-`
 * as the speaker, so each batch is scored as one speaker. With every revision, `-r<N>` follows
 * so that each line's id is unique.
 */
export function trnUtteranceId(r: Pick<ExportedRevision, 'batchId' | 'clipId' | 'revision'>, all: boolean): string {
  return `${r.batchId.replace(/^b-/, '')}-${r.clipId}${all ? `-r${r.revision}` : ''}`;
}

/** One trn line, or none for a withdrawn clip (trn cannot say it was withdrawn; JSON Lines does). */
function trnLine(r: ExportedRevision, all: boolean): string | undefined {
  if (r.withdrawn) {
    return undefined;
  }
  const text = trnText(r.transcript);
  return `${text}${text === '' ? '' : ' '}(${trnUtteranceId(r, all)})`;
}

/**
 * The line of one record, or none: a withdrawn clip has no trn line, and neither has its
 * withdrawal. trn holds one line per utterance and cannot take one back (an empty line would be
 * scored as an utterance in which nothing was said), so a trn consumer learns of withdrawals by
 * taking the export again from 0, or from the JSON Lines export.
 */
function lineOf(record: ExportLine, q: ExportRequest): string | undefined {
  if (q.format === 'jsonl') {
    return JSON.stringify(record);
  }
  return record.record === 'withdrawal' ? undefined : trnLine(record, q.revisions === 'all');
}

/** The pseudonyms and gold marks a page has looked up, each once. */
type Lookups = { readonly pseudonyms: Map<string, string>; readonly golds: Map<string, boolean> };

/** One record as the export shows it, or none for an older revision when only current ones are asked for. */
async function exportLineOf(
  repos: Repositories,
  row: ExportedRecord,
  q: ExportRequest,
  seen: Lookups,
): Promise<ExportLine | undefined> {
  if (row.record === 'withdrawal') {
    return { record: 'withdrawal', seq: row.seq, batchId: row.batchId, clipId: row.clipId, withdrawn: true };
  }
  if (q.revisions === 'current' && !row.current && !isTombstone(JSON.parse(row.payload))) {
    return undefined;
  }
  let reviewer = seen.pseudonyms.get(row.account);
  if (reviewer === undefined) {
    // An account is never deleted; a row whose account is gone would be a broken store.
    reviewer = (await repos.accounts.find(row.account))?.pseudonym ?? 'unknown';
    seen.pseudonyms.set(row.account, reviewer);
  }
  const clipKey = `${row.batchId}/${row.clipId}`;
  let gold = seen.golds.get(clipKey);
  if (gold === undefined) {
    gold = (await repos.gold.answerFor(row.batchId, row.clipId)) !== undefined;
    seen.golds.set(clipKey, gold);
  }
  return toExportedRevision(row, reviewer, gold);
}

/**
 * Reads one page of the export. Records left out (older revisions when only current ones are
 * asked for, withdrawn clips and withdrawals in trn) still move the cursor, so a resumed export
 * neither repeats nor misses a record.
 */
export async function exportAnnotationPage(repos: Repositories, q: ExportRequest): Promise<ExportPage> {
  const rows = await repos.ops.exportAnnotations({
    ...(q.batchId !== undefined ? { batchId: q.batchId } : {}),
    afterSeq: q.afterSeq,
    limit: q.limit,
  });
  const seen: Lookups = { pseudonyms: new Map(), golds: new Map() };
  const lines: string[] = [];
  for (const row of rows) {
    const record = await exportLineOf(repos, row, q, seen);
    const line = record === undefined ? undefined : lineOf(record, q);
    if (line !== undefined) {
      lines.push(line);
    }
  }
  return {
    body: lines.map((l) => `${l}\n`).join(''),
    lines: lines.length,
    nextCursor: rows.at(-1)?.seq ?? q.afterSeq,
    complete: rows.length < q.limit,
  };
}
