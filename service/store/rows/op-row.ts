/** Annotation revisions as both stores read them, and how rows become the repository's types. */
import type { CurrentAnnotation, ExportedRecord } from '../repositories';
import { fromDbBoolean, type DbBoolean } from './db-values';

/** What an export page selects ({@link exportRecordsSql}): a revision, or a withdrawal with its op columns NULL. */
export type RawExportedRecord =
  | {
      record: 'revision';
      seq: number;
      op_id: string;
      account: string;
      batch_id: string;
      clip_id: string;
      revision: number;
      /** An EXISTS: a boolean on PostgreSQL, 0 or 1 on SQLite. */
      current: DbBoolean;
      received_at: number;
      payload: string;
    }
  | {
      record: 'withdrawal';
      seq: number;
      op_id: null;
      account: null;
      batch_id: string;
      clip_id: string;
      revision: null;
      current: DbBoolean;
      received_at: null;
      payload: null;
    };

/**
 * One export page, in both stores' SQL: annotation revisions (`r` the revision, `o` its op) and
 * clip withdrawals after the cursor, lowest seq first, read by one statement so that both come
 * from the same moment. The arguments are the placeholders of the cursor, the limit and, for one
 * batch only, the batch id.
 */
export function exportRecordsSql(p: {
  readonly after: string;
  readonly limit: string;
  readonly batch?: string;
}): string {
  const revisionsOf = p.batch === undefined ? '' : ` AND r.batch_id = ${p.batch}`;
  const withdrawalsOf = p.batch === undefined ? '' : ` AND w.batch_id = ${p.batch}`;
  // Each branch stops at the page's size in seq order (by index), so a page reads at most twice
  // its size whatever lies after the cursor; "current" is looked up by the clip's key, and only
  // for the rows the page keeps. A withdrawal's empty columns are typed: PostgreSQL types the
  // branches of a UNION before it joins them.
  return `SELECT x.*, EXISTS (
        SELECT 1 FROM current_annotations c
         WHERE c.batch_id = x.batch_id AND c.clip_id = x.clip_id AND c.op_id = x.op_id
      ) AS current
    FROM (
      SELECT * FROM (
        SELECT 'revision' AS record, o.seq, o.op_id, o.account, r.batch_id, r.clip_id, r.revision, o.received_at,
               o.payload
          FROM ops o JOIN annotation_revisions r ON r.op_id = o.op_id
         WHERE o.seq > ${p.after}${revisionsOf}
         ORDER BY o.seq LIMIT ${p.limit}
      ) AS revisions
      UNION ALL
      SELECT * FROM (
        SELECT 'withdrawal', w.seq, CAST(NULL AS TEXT), CAST(NULL AS TEXT), w.batch_id, w.clip_id,
               CAST(NULL AS INTEGER), CAST(NULL AS BIGINT), CAST(NULL AS TEXT)
          FROM clip_withdrawals w
         WHERE w.seq > ${p.after}${withdrawalsOf}
         ORDER BY w.seq LIMIT ${p.limit}
      ) AS withdrawals
    ) AS x ORDER BY x.seq LIMIT ${p.limit}`;
}

export const toExportedRecord = (r: RawExportedRecord): ExportedRecord =>
  r.record === 'withdrawal'
    ? { record: 'withdrawal', seq: r.seq, batchId: r.batch_id, clipId: r.clip_id }
    : {
        record: 'revision',
        seq: r.seq,
        opId: r.op_id,
        account: r.account,
        batchId: r.batch_id,
        clipId: r.clip_id,
        revision: r.revision,
        current: fromDbBoolean(r.current),
        receivedAt: r.received_at,
        payload: r.payload,
      };

/** A clip's current revision with its op's payload. */
export type RawCurrentAnnotation = {
  batch_id: string;
  clip_id: string;
  revision: number;
  op_id: string;
  payload: string;
};

export const toCurrentAnnotation = (r: RawCurrentAnnotation): CurrentAnnotation => ({
  batchId: r.batch_id,
  clipId: r.clip_id,
  revision: r.revision,
  opId: r.op_id,
  payload: r.payload,
});
