/** The outbox's rows as the repository (outbox.repository.ts) reads and writes them. */
import type { ParkCode, ParkReason } from '../../../shared/domain/sync';
import type { AuditEventType } from '../../../shared/sync/messages';
import type { OpKind } from '../../../shared/sync/protocol';

/** A row to add. Annotations and escalations are added by their repository, in the same transaction. */
export type NewOutboxRow = {
  readonly opId: string;
  readonly kind: OpKind;
  readonly author: string;
  readonly batchId: string | null;
  readonly clipId: string | null;
  readonly revision: number | null;
  readonly auditType: AuditEventType | null;
  readonly refOpId: string | null;
  readonly createdAt: number;
  /** For annotations: the op amended (null: none); left out, the clip's newest unresolved op, at its revision + 1. */
  readonly baseOpId?: string | null;
  /** For a resent annotation: the saved revision whose content it carries. */
  readonly sourceOpId?: string | null;
};

export type OutboxRow = Omit<NewOutboxRow, 'baseOpId' | 'sourceOpId'> & {
  readonly seq: number;
  readonly attempts: number;
  readonly baseRevision: number | null;
  readonly baseOpId: string | null;
  readonly sourceOpId: string | null;
};

/** What the service answered for a parked op: why, and where the clip stands there. */
export type ParkDetail = {
  readonly reason: ParkReason;
  readonly code: ParkCode;
  readonly currentRevision?: number | undefined;
  readonly currentOpId?: string | undefined;
};

export type ParkedRow = OutboxRow & {
  readonly parkedAt: number;
  readonly reason: ParkReason;
  readonly code: ParkCode;
  readonly currentRevision: number | null;
  readonly currentOpId: string | null;
};

export type Raw = {
  seq: number;
  op_id: string;
  kind: OpKind;
  author: string;
  batch_id: string | null;
  clip_id: string | null;
  revision: number | null;
  audit_type: AuditEventType | null;
  ref_op_id: string | null;
  created_at: number;
  attempts: number;
  base_revision: number | null;
  base_op_id: string | null;
  source_op_id: string | null;
};

export const COLUMNS =
  'seq, op_id, kind, author, batch_id, clip_id, revision, audit_type, ref_op_id, created_at, attempts, ' +
  'base_revision, base_op_id, source_op_id';

export const toRow = (r: Raw): OutboxRow => ({
  seq: r.seq,
  opId: r.op_id,
  kind: r.kind,
  author: r.author,
  batchId: r.batch_id,
  clipId: r.clip_id,
  revision: r.revision,
  auditType: r.audit_type,
  refOpId: r.ref_op_id,
  createdAt: r.created_at,
  attempts: r.attempts,
  baseRevision: r.base_revision,
  baseOpId: r.base_op_id,
  sourceOpId: r.source_op_id,
});
