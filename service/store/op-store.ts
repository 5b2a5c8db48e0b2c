/**
 * Where ops land, deduplicated for good: an op id is stored once, with the hash of its
 * canonical payload. The same id with the same payload gets the stored result back; with a
 * different payload (or from another account) it is a conflict and nothing changes. For
 * annotations, the highest revision of each clip is its current row.
 */
import { createHash } from 'node:crypto';
import type { OpKind } from '../../shared/sync/protocol';
import { outcomeStatus } from '../../shared/sync/protocol';
import { canonicalJson } from '../../shared/sync/canonical-json';
import type { OpResult } from '../../shared/sync/messages';
import type { ServiceDb } from './schema';

/** An op ready to store: its payload as received, and the checks only the caller can make. */
export type IncomingOp = {
  readonly opId: string;
  readonly payload: unknown;
  /** For annotations: the clip revision this op sets. */
  readonly revision?: { readonly batchId: string; readonly clipId: string; readonly revision: number };
  /** A reason to refuse the op (unknown batch or clip), or null when it may be stored. */
  readonly refusal: string | null;
};

export type OpSource = 'online' | 'results_package';

export type CurrentAnnotation = {
  readonly batchId: string;
  readonly clipId: string;
  readonly revision: number;
  readonly opId: string;
  readonly payload: string;
};

const hashOf = (payload: unknown): Buffer => createHash('sha256').update(canonicalJson(payload)).digest();

export function createOpStore(db: ServiceDb) {
  const selectOp = db.prepare<
    [string],
    { seq: number; kind: OpKind; account: string; payload_hash: Buffer; received_at: number }
  >('SELECT seq, kind, account, payload_hash, received_at FROM ops WHERE op_id = ?');
  const insertOp = db.prepare<[string, OpKind, string, Buffer, string, number, OpSource]>(
    'INSERT INTO ops (op_id, kind, account, payload_hash, payload, received_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const revisionTaken = db.prepare<[string, string, number], { op_id: string }>(
    'SELECT op_id FROM annotation_revisions WHERE batch_id = ? AND clip_id = ? AND revision = ?',
  );
  const insertRevision = db.prepare<[string, string, string, number]>(
    'INSERT INTO annotation_revisions (op_id, batch_id, clip_id, revision) VALUES (?, ?, ?, ?)',
  );
  const upsertCurrent = db.prepare<[string, string, number, string]>(
    `INSERT INTO current_annotations (batch_id, clip_id, revision, op_id) VALUES (?, ?, ?, ?)
     ON CONFLICT (batch_id, clip_id) DO UPDATE SET revision = excluded.revision, op_id = excluded.op_id
     WHERE excluded.revision > current_annotations.revision`,
  );
  const selectCurrent = db.prepare<
    [string],
    { batch_id: string; clip_id: string; revision: number; op_id: string; payload: string }
  >(
    `SELECT c.batch_id, c.clip_id, c.revision, c.op_id, o.payload FROM current_annotations c JOIN ops o ON o.op_id = c.op_id
     WHERE c.batch_id = ? ORDER BY c.clip_id`,
  );
  const countKind = db.prepare<[OpKind], { n: number }>('SELECT count(*) AS n FROM ops WHERE kind = ?');

  const applyOne = (kind: OpKind, account: string, op: IncomingOp, now: number, source: OpSource): OpResult => {
    const hash = hashOf(op.payload);
    const existing = selectOp.get(op.opId);
    if (existing) {
      if (existing.kind === kind && existing.account === account && existing.payload_hash.equals(hash)) {
        return {
          opId: op.opId,
          outcome: 'duplicate',
          status: outcomeStatus.duplicate,
          result: { serverSeq: existing.seq, receivedAt: existing.received_at },
        };
      }
      return {
        opId: op.opId,
        outcome: 'conflict',
        status: outcomeStatus.conflict,
        message: 'This op id was stored before with a different payload; nothing was changed.',
      };
    }
    if (op.refusal) {
      return { opId: op.opId, outcome: 'rejected', status: outcomeStatus.rejected, message: op.refusal };
    }
    const r = op.revision;
    if (r && revisionTaken.get(r.batchId, r.clipId, r.revision)) {
      return {
        opId: op.opId,
        outcome: 'rejected',
        status: outcomeStatus.rejected,
        message: `Revision ${r.revision} of clip "${r.clipId}" was stored under another op id.`,
      };
    }
    const seq = Number(
      insertOp.run(op.opId, kind, account, hash, canonicalJson(op.payload), now, source).lastInsertRowid,
    );
    if (r) {
      insertRevision.run(op.opId, r.batchId, r.clipId, r.revision);
      upsertCurrent.run(r.batchId, r.clipId, r.revision, op.opId);
    }
    return {
      opId: op.opId,
      outcome: 'stored',
      status: outcomeStatus.stored,
      result: { serverSeq: seq, receivedAt: now },
    };
  };

  return {
    /** Applies ops in order, all in one transaction, and returns one result per op. */
    apply: (
      kind: OpKind,
      account: string,
      ops: readonly IncomingOp[],
      now: number,
      source: OpSource = 'online',
    ): OpResult[] => db.transaction(() => ops.map((op) => applyOne(kind, account, op, now, source))).immediate(),
    /** The current (latest) annotation row of every clip of a batch that has one. */
    current: (batchId: string): CurrentAnnotation[] =>
      selectCurrent.all(batchId).map((r) => ({
        batchId: r.batch_id,
        clipId: r.clip_id,
        revision: r.revision,
        opId: r.op_id,
        payload: r.payload,
      })),
    count: (kind: OpKind): number => countKind.get(kind)?.n ?? 0,
  };
}

export type OpStore = ReturnType<typeof createOpStore>;
