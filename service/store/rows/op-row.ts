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
  return `SELECT * FROM (
      SELECT 'revision' AS record, o.seq, o.op_id, o.account, r.batch_id, r.clip_id, r.revision, o.received_at,
             o.payload, EXISTS (SELECT 1 FROM current_annotations c WHERE c.op_id = o.op_id) AS current
        FROM annotation_revisions r JOIN ops o ON o.op_id = r.op_id
       WHERE o.seq > ${p.after}${revisionsOf}
      UNION ALL
      SELECT 'withdrawal', w.seq, NULL, NULL, w.batch_id, w.clip_id, NULL, NULL, NULL, (1 = 0)
        FROM clip_withdrawals w
       WHERE w.seq > ${p.after}${withdrawalsOf}
    ) AS x ORDER BY seq LIMIT ${p.limit}`;
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
