/** Annotation revisions as both stores read them, and how rows become the repository's types. */
import type { CurrentAnnotation, ExportedAnnotation } from '../repositories';
import { fromDbBoolean, type DbBoolean } from './db-values';

/** What an export page selects ({@link EXPORTED_ANNOTATION_COLUMNS}). */
export type RawExportedAnnotation = {
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
};

/**
 * The columns and tables of an export page (`r` the revision, `o` its op); the caller adds WHERE,
 * ORDER BY and LIMIT.
 */
export const EXPORTED_ANNOTATION_COLUMNS = `o.seq, o.op_id, o.account, r.batch_id, r.clip_id, r.revision, o.received_at,
  o.payload, EXISTS (SELECT 1 FROM current_annotations c WHERE c.op_id = o.op_id) AS current
  FROM annotation_revisions r JOIN ops o ON o.op_id = r.op_id`;

export const toExportedAnnotation = (r: RawExportedAnnotation): ExportedAnnotation => ({
  seq: r.seq,
  opId: r.op_id,
  account: r.account,
  batchId: r.batch_id,
  clipId: r.clip_id,
  revision: r.revision,
  current: fromDbBoolean(r.current),
  receivedAt: r.received_at,
  payload: r.payload,
});

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
