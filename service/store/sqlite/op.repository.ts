/**
 * Ops in SQLite, deduplicated for good: `ops.op_id` is unique and rows are never deleted, nor
 * updated except to erase what the ops of a withdrawn clip said (`eraseClip`, which also numbers
 * the withdrawal for the export from the ops' own sequence); the payload hash
 * kept beside each op tells a duplicate from a conflict. Revisions of
 * a clip are unique per (batch, clip, revision), and each is stored only on top of the clip's
 * current one (its base), so current_annotations always holds the highest and there are no holes.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { isEscalationCategory } from '../../../shared/domain/annotation';
import { canonicalJson } from '../../../shared/sync/canonical-json';
import type { OpResult } from '../../../shared/sync/messages';
import type { OpKind } from '../../../shared/sync/protocol';
import {
  baseRefusal,
  conflictResult,
  duplicateResult,
  refusedResult,
  storedResult,
  type RevisionLookup,
} from '../op-results';
import type { HeldRevision, IncomingOp, OpRepository, OpSource } from '../repositories';
import {
  exportRecordsSql,
  toCurrentAnnotation,
  toExportedRecord,
  type RawCurrentAnnotation,
  type RawExportedRecord,
} from '../rows/op-row';
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
  const selectCurrent = db.prepare<[string], RawCurrentAnnotation>(
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
  // A withdrawal's seq comes from the ops' own AUTOINCREMENT sequence: the highest seq ever
  // handed out, plus one, written back to sqlite_sequence so that the next op numbers after it.
  const withdrawalOf = db.prepare<[string, string], { seq: number }>(
    'SELECT seq FROM clip_withdrawals WHERE batch_id = ? AND clip_id = ?',
  );
  const highSeq = db.prepare<[], { n: number }>(
    `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'ops'), 0), coalesce((SELECT max(seq) FROM ops), 0),
                coalesce((SELECT max(seq) FROM clip_withdrawals), 0)) AS n`,
  );
  const moveSeq = db.prepare<[number]>("UPDATE sqlite_sequence SET seq = ? WHERE name = 'ops'");
  const startSeq = db.prepare<[number]>("INSERT INTO sqlite_sequence (name, seq) VALUES ('ops', ?)");
  const insertWithdrawal = db.prepare<[number, string, string]>(
    'INSERT INTO clip_withdrawals (seq, batch_id, clip_id) VALUES (?, ?, ?)',
  );
  const recordWithdrawal = (batchId: string, clipId: string): void => {
    if (withdrawalOf.get(batchId, clipId)) {
      return;
    }
    const seq = (highSeq.get()?.n ?? 0) + 1;
    if (moveSeq.run(seq).changes === 0) {
      startSeq.run(seq);
    }
    insertWithdrawal.run(seq, batchId, clipId);
  };
  const eraseClip = db.transaction((batchId: string, clipId: string) => {
    eraseResponses.run({ batchId, clipId });
    const annotations = eraseOps.run({ batchId, clipId, kind: 'annotation' }).changes;
    const escalations = eraseOps.run({ batchId, clipId, kind: 'escalation' }).changes;
    dropCurrent.run(batchId, clipId);
    recordWithdrawal(batchId, clipId);
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

  const heldRevisions = db.prepare<[string, string], HeldRevision>(
    `SELECT r.batch_id AS batchId, r.clip_id AS clipId, r.revision FROM annotation_revisions r
     JOIN ops o ON o.op_id = r.op_id
     WHERE o.account = ? AND r.batch_id IN (SELECT value FROM json_each(?))`,
  );

  // One writer: seq order is commit order here, so a cursor on seq never skips a record.
  const exportAll = db.prepare<{ after: number; limit: number }, RawExportedRecord>(
    exportRecordsSql({ after: '@after', limit: '@limit' }),
  );
  const exportBatch = db.prepare<{ batch: string; after: number; limit: number }, RawExportedRecord>(
    exportRecordsSql({ after: '@after', limit: '@limit', batch: '@batch' }),
  );

  const currentOf = db.prepare<[string, string], { revision: number; op_id: string }>(
    'SELECT revision, op_id FROM current_annotations WHERE batch_id = ? AND clip_id = ?',
  );

  const revisions: RevisionLookup = {
    current: (batchId, clipId) => {
      const row = currentOf.get(batchId, clipId);
      return row ? { revision: row.revision, opId: row.op_id } : undefined;
    },
    opOfRevision: (batchId, clipId, revision) => revisionTaken.get(batchId, clipId, revision)?.op_id,
  };

  const applyOne = (kind: OpKind, account: string, op: IncomingOp, now: number, source: OpSource): OpResult => {
    const hash = hashOf(op.payload);
    const existing = selectOp.get(op.opId);
    if (existing) {
      if (existing.kind === kind && existing.account === account && existing.payload_hash.equals(hash)) {
        return duplicateResult(op.opId, existing.seq, existing.received_at);
      }
      return conflictResult(op.opId);
    }
    if (op.refusal) {
      return refusedResult(op.opId, op.refusal.code, op.refusal.message);
    }
    const refusal = baseRefusal(op, revisions);
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
    return storedResult(op.opId, seq, now);
  };

  const apply = db.transaction(
    (kind: OpKind, account: string, ops: readonly IncomingOp[], now: number, source: OpSource): OpResult[] =>
      ops.map((op) => applyOne(kind, account, op, now, source)),
  );

  return {
    apply: (kind, account, ops, now, source = 'online') => apply.immediate(kind, account, ops, now, source),
    eraseClip: (batchId, clipId) => eraseClip.immediate(batchId, clipId),
    current: (batchId) => selectCurrent.all(batchId).map(toCurrentAnnotation),
    exportAnnotations: (q) =>
      (q.batchId === undefined
        ? exportAll.all({ after: q.afterSeq, limit: q.limit })
        : exportBatch.all({ batch: q.batchId, after: q.afterSeq, limit: q.limit })
      ).map(toExportedRecord),
    count: (kind) => countKind.get(kind)?.n ?? 0,
    escalationTimes: (account, from, to) => escalationTimes.all(account, from, to).map((r) => r.at),
    escalationCategories: (account, from, to) =>
      escalationCategories
        .all(account, from, to)
        .flatMap((r) => (isEscalationCategory(r.category) ? [{ at: r.at, category: r.category }] : [])),
    heldRevisions: (account, batchIds) => heldRevisions.all(account, JSON.stringify(batchIds)),
  };
}
