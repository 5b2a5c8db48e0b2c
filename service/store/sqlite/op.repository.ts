/**
 * Ops in SQLite, deduplicated for good: `ops.op_id` is unique and rows are never deleted, nor
 * updated except to erase what the ops of a withdrawn clip said (`eraseClip`); the payload hash
 * kept beside each op tells a duplicate from a conflict. Revisions of
 * a clip are unique per (batch, clip, revision), and each is stored only on top of the clip's
 * current one (its base), so current_annotations always holds the highest and there are no holes.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { isEscalationCategory } from '../../../shared/domain/annotation';
import { canonicalJson } from '../../../shared/sync/canonical-json';
import type { OpRefusalCode, OpResult } from '../../../shared/sync/messages';
import { outcomeStatus, type OpKind } from '../../../shared/sync/protocol';
import type { IncomingOp, OpRepository, OpSource } from '../repositories';
import type { Sync } from './unit-of-work';

const hashOf = (payload: unknown): Buffer => createHash('sha256').update(canonicalJson(payload)).digest();

export function sqliteOpRepository(db: Database): Sync<OpRepository> {
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
  // The tombstone is canonical JSON (keys in order), like every stored payload.
  const eraseOps = db.prepare<{ batchId: string; clipId: string; kind: OpKind }>(
    `UPDATE ops SET payload = json_object('batchId', @batchId, 'clipId', @clipId, 'opId', op_id, 'withdrawn', json('true'))
     WHERE kind = @kind AND json_extract(payload, '$.batchId') = @batchId AND json_extract(payload, '$.clipId') = @clipId
       AND json_extract(payload, '$.withdrawn') IS NULL`,
  );
  const dropCurrent = db.prepare<[string, string]>(
    'DELETE FROM current_annotations WHERE batch_id = ? AND clip_id = ?',
  );
  // What supervisors wrote back about the clip (a close reason, guidance) goes with it; ids and hashes stay.
  const eraseResponses = db.prepare<{ batchId: string; clipId: string }>(
    `UPDATE escalation_responses SET body = '{}' WHERE op_id IN (SELECT op_id FROM ops WHERE kind = 'escalation'
       AND json_extract(payload, '$.batchId') = @batchId AND json_extract(payload, '$.clipId') = @clipId)`,
  );
  const eraseClip = db.transaction((batchId: string, clipId: string) => {
    eraseResponses.run({ batchId, clipId });
    const annotations = eraseOps.run({ batchId, clipId, kind: 'annotation' }).changes;
    const escalations = eraseOps.run({ batchId, clipId, kind: 'escalation' }).changes;
    dropCurrent.run(batchId, clipId);
    return { annotations, escalations };
  });
  const countKind = db.prepare<[OpKind], { n: number }>('SELECT count(*) AS n FROM ops WHERE kind = ?');
  // Only the time is read: the note of an escalation never leaves this query.
  const escalationTimes = db.prepare<[string, number, number], { at: number }>(
    `SELECT json_extract(payload, '$.createdAt') AS at FROM ops
     WHERE kind = 'escalation' AND account = ? AND json_extract(payload, '$.createdAt') BETWEEN ? AND ? ORDER BY at`,
  );
  // The time and the category, a label: the note stays in the payload.
  const escalationCategories = db.prepare<[string, number, number], { at: number; category: string }>(
    `SELECT json_extract(payload, '$.createdAt') AS at, json_extract(payload, '$.category') AS category FROM ops
     WHERE kind = 'escalation' AND account = ? AND json_extract(payload, '$.createdAt') BETWEEN ? AND ?
     ORDER BY at, op_id`,
  );

  type ExportRaw = {
    seq: number;
    op_id: string;
    account: string;
    batch_id: string;
    clip_id: string;
    revision: number;
    current: number;
    received_at: number;
    payload: string;
  };
  // One writer: seq order is commit order here, so a cursor on seq never skips a row.
  const exportColumns = `o.seq, o.op_id, o.account, r.batch_id, r.clip_id, r.revision, o.received_at, o.payload,
    EXISTS (SELECT 1 FROM current_annotations c WHERE c.op_id = o.op_id) AS current
    FROM annotation_revisions r JOIN ops o ON o.op_id = r.op_id`;
  const exportAll = db.prepare<[number, number], ExportRaw>(
    `SELECT ${exportColumns} WHERE o.seq > ? ORDER BY o.seq LIMIT ?`,
  );
  const exportBatch = db.prepare<[string, number, number], ExportRaw>(
    `SELECT ${exportColumns} WHERE r.batch_id = ? AND o.seq > ? ORDER BY o.seq LIMIT ?`,
  );

  const currentOf = db.prepare<[string, string], { revision: number; op_id: string }>(
    'SELECT revision, op_id FROM current_annotations WHERE batch_id = ? AND clip_id = ?',
  );

  const refused = (
    opId: string,
    code: OpRefusalCode,
    message: string,
    current?: { readonly revision: number; readonly opId: string | null },
  ): OpResult => ({
    opId,
    outcome: 'rejected',
    code,
    status: outcomeStatus.rejected,
    message,
    ...(current ? { currentRevision: current.revision } : {}),
    ...(current?.opId ? { currentOpId: current.opId } : {}),
  });

  /**
   * One writer per clip: an annotation is stored only on top of the clip's current revision, so
   * no revision is ever kept whose base was refused and the history has no holes.
   */
  const baseRefusal = (op: IncomingOp): OpResult | null => {
    const r = op.revision;
    if (!r) {
      return null;
    }
    const row = currentOf.get(r.batchId, r.clipId);
    const current = { revision: row?.revision ?? 0, opId: row?.op_id ?? null };
    if (r.baseRevision > 0 && revisionTaken.get(r.batchId, r.clipId, r.baseRevision)?.op_id !== r.baseOpId) {
      return refused(
        op.opId,
        'base_missing',
        `The service holds no revision ${r.baseRevision} of clip "${r.clipId}" by the op this one amends.`,
        current,
      );
    }
    if (current.revision !== r.baseRevision) {
      return refused(
        op.opId,
        'base_stale',
        `Clip "${r.clipId}" is at revision ${current.revision}, not ${r.baseRevision}: resend on top of it.`,
        current,
      );
    }
    // With the base current, the revision is free; this holds for stores written before bases were checked.
    if (revisionTaken.get(r.batchId, r.clipId, r.revision)) {
      return refused(
        op.opId,
        'revision_taken',
        `Revision ${r.revision} of clip "${r.clipId}" was stored under another op id.`,
        current,
      );
    }
    return null;
  };

  const applyOne = (kind: OpKind, account: string, op: IncomingOp, now: number, source: OpSource): OpResult => {
    const hash = hashOf(op.payload);
    const existing = selectOp.get(op.opId);
    if (existing) {
      if (existing.kind === kind && existing.account === account && existing.payload_hash.equals(hash)) {
        return {
          opId: op.opId,
          outcome: 'duplicate',
          code: 'duplicate',
          status: outcomeStatus.duplicate,
          result: { serverSeq: existing.seq, receivedAt: existing.received_at },
        };
      }
      return {
        opId: op.opId,
        outcome: 'conflict',
        code: 'conflict',
        status: outcomeStatus.conflict,
        message: 'This op id was stored before with a different payload; nothing was changed.',
      };
    }
    if (op.refusal) {
      return refused(op.opId, op.refusal.code, op.refusal.message);
    }
    const refusal = baseRefusal(op);
    if (refusal) {
      return refusal;
    }
    const r = op.revision;
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
      code: 'stored',
      status: outcomeStatus.stored,
      result: { serverSeq: seq, receivedAt: now },
    };
  };

  const apply = db.transaction(
    (kind: OpKind, account: string, ops: readonly IncomingOp[], now: number, source: OpSource): OpResult[] =>
      ops.map((op) => applyOne(kind, account, op, now, source)),
  );

  return {
    apply: (kind, account, ops, now, source = 'online') => apply.immediate(kind, account, ops, now, source),
    eraseClip: (batchId, clipId) => eraseClip.immediate(batchId, clipId),
    current: (batchId) =>
      selectCurrent.all(batchId).map((r) => ({
        batchId: r.batch_id,
        clipId: r.clip_id,
        revision: r.revision,
        opId: r.op_id,
        payload: r.payload,
      })),
    exportAnnotations: (q) =>
      (q.batchId === undefined
        ? exportAll.all(q.afterSeq, q.limit)
        : exportBatch.all(q.batchId, q.afterSeq, q.limit)
      ).map((r) => ({
        seq: r.seq,
        opId: r.op_id,
        account: r.account,
        batchId: r.batch_id,
        clipId: r.clip_id,
        revision: r.revision,
        current: r.current === 1,
        receivedAt: r.received_at,
        payload: r.payload,
      })),
    count: (kind) => countKind.get(kind)?.n ?? 0,
    escalationTimes: (account, from, to) => escalationTimes.all(account, from, to).map((r) => r.at),
    escalationCategories: (account, from, to) =>
      escalationCategories
        .all(account, from, to)
        .flatMap((r) => (isEscalationCategory(r.category) ? [{ at: r.at, category: r.category }] : [])),
  };
}
