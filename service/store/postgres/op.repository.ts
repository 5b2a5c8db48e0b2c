/**
 * Ops in PostgreSQL, with the SQLite store's semantics under concurrent writers in several
 * processes. Every write of ops (apply, eraseClip) first takes one transaction-scoped advisory
 * lock, {@link OPS_LOCK}, and keeps it to commit. Under it, in READ COMMITTED, each statement
 * sees every op committed before, so:
 *
 * - dedupe holds: an op id is looked up, then stored, with no other writer in between (the
 *   UNIQUE constraint stays as the backstop);
 * - one current row per clip and the base-revision check hold the same way;
 * - `ops.seq` is drawn only under the lock, and the lock is let go only once the commit is
 *   visible, so sequence order is commit order: a reader that saw seq N will never see a lower
 *   one commit later, and an export cursor on seq never skips a row. A clip's withdrawal in the
 *   export stream (`clip_withdrawals`) draws its seq from the same sequence, under the same lock.
 *
 * The lock is taken in a statement of its own, before anything is read: a statement's snapshot
 * is taken when it starts, so a read in the same statement as the lock could miss an op
 * committed while it waited.
 *
 * The caller checks each op before the apply (its batch, clip, consent, the device holding the
 * batch), in its unit of work but before the lock. Of those checks, consent is the one a
 * concurrent withdrawal (which erases under the same lock) could leave stale in a way no serial
 * order explains, so the apply reads it again under the lock: an op of a clip withdrawn since is
 * refused as `withdrawn`, as it would have been had the withdrawal come first.
 *
 * An apply costs a fixed number of statements whatever the number of ops, and as few as it can,
 * since every round trip under the lock holds up every other writer: the lock, one read of the
 * ops already held under these ids and of the revisions, current rows and consent of the clips
 * concerned, then one statement (per chunk of a very large apply) inserting into ops,
 * annotation_revisions and current_annotations together. Results are worked out in between, op
 * by op in request order, as the SQLite store does one op at a time.
 */
import type { OpResult } from '../../../shared/sync/messages';
import type { OpKind } from '../../../shared/sync/protocol';
import type { IncomingOp, OpRepository, OpSource } from '../repositories';
import { pgAccountOpReads } from './account-op-reads';
import {
  exportRecordsSql,
  toCurrentAnnotation,
  toExportedRecord,
  type RawCurrentAnnotation,
  type RawExportedRecord,
} from '../rows/op-row';
import { inChunks } from './chunks';
import { ApplyPlan, clipKey, fieldsOf, revisionKey, type HeldOp } from './op-apply-plan';
import type { PgDb } from './db';

/** The advisory lock every writer of ops holds to commit (any fixed 64-bit number, the same in every process). */
export const OPS_LOCK = 0x4541_524d_4b02;

/** Takes {@link OPS_LOCK} for the rest of the transaction `db` is in. */
export const lockOps = (db: PgDb): Promise<number> => db.execute('SELECT pg_advisory_xact_lock($1)', [OPS_LOCK]);

/**
 * A row of the apply's one read, by its `src`: an op already held under an incoming id, a stored
 * revision or the current row of a clip concerned, or a clip concerned whose consent is withdrawn
 * (its `op_id` is '' and its `revision` 0). The other columns a kind of row does not use are NULL.
 */
type NoClip = { readonly batch_id: null; readonly clip_id: null; readonly revision: null };
type NoHeld = {
  readonly seq: null;
  readonly kind: null;
  readonly account: null;
  readonly payload_hash: null;
  readonly received_at: null;
};
type ApplyReadRow =
  | ({
      readonly src: 'held';
      readonly op_id: string;
      readonly seq: number | null;
      readonly kind: OpKind;
      readonly account: string;
      readonly payload_hash: Buffer;
      readonly received_at: number;
    } & NoClip)
  | ({
      readonly src: 'revision' | 'current' | 'withdrawn';
      readonly op_id: string;
      readonly batch_id: string;
      readonly clip_id: string;
      readonly revision: number;
    } & NoHeld);

/**
 * Writes what a plan stores and returns each stored op's seq: one statement per chunk of ops,
 * each inserting its ops, their revisions and, with the last chunk, the clips' current rows (a
 * current row names an op of this apply, so it goes in once every op is in). Rows inserted by
 * one statement's parts are checked against each other's foreign keys at its end.
 */
async function storePlan(
  tx: PgDb,
  kind: OpKind,
  account: string,
  now: number,
  source: OpSource,
  plan: ApplyPlan,
): Promise<Map<string, number>> {
  const seqs = new Map<string, number>();
  const chunks = inChunks(plan.toStore, (s) => s.payload.length);
  // One row per clip, its highest revision: the same end as SQLite's upsert after each op.
  const moved = [...plan.movedClips].flatMap((key) => plan.current.get(key) ?? []);
  for (const [i, chunk] of chunks.entries()) {
    const items = chunk.items;
    const inChunk = new Set(items.map((s) => s.op.opId));
    const revisions = plan.revisions.filter((r) => inChunk.has(r.opId));
    const currentRows = i === chunks.length - 1 ? moved : [];
    const stored = await tx.query<{ op_id: string; seq: number }>(
      `WITH stored AS (
         INSERT INTO ops (op_id, kind, account, payload_hash, payload, received_at, source,
                          batch_id, clip_id, created_at, category, withdrawn)
         SELECT o.op_id, $1, $2, o.hash, o.payload, $3, $4, o.batch_id, o.clip_id, o.created_at, o.category, o.withdrawn
           FROM unnest($5::text[], $6::bytea[], $7::text[], $8::text[], $9::text[], $10::float8[], $11::text[],
                       $12::boolean[]) WITH ORDINALITY
             AS o (op_id, hash, payload, batch_id, clip_id, created_at, category, withdrawn, n)
          ORDER BY o.n
         RETURNING op_id, seq),
       revisions AS (
         INSERT INTO annotation_revisions (op_id, batch_id, clip_id, revision)
         SELECT * FROM unnest($13::text[], $14::text[], $15::text[], $16::int[])),
       moved AS (
         INSERT INTO current_annotations (batch_id, clip_id, revision, op_id)
         SELECT * FROM unnest($17::text[], $18::text[], $19::int[], $20::text[])
         ON CONFLICT (batch_id, clip_id) DO UPDATE SET revision = excluded.revision, op_id = excluded.op_id
         WHERE excluded.revision > current_annotations.revision)
       SELECT op_id, seq FROM stored`,
      [
        kind,
        account,
        now,
        source,
        items.map((s) => s.op.opId),
        items.map((s) => s.hash),
        items.map((s) => s.payload),
        items.map((s) => s.fields.batchId),
        items.map((s) => s.fields.clipId),
        items.map((s) => s.fields.createdAt),
        items.map((s) => s.fields.category),
        items.map((s) => s.fields.withdrawn),
        revisions.map((r) => r.opId),
        revisions.map((r) => r.batchId),
        revisions.map((r) => r.clipId),
        revisions.map((r) => r.revision),
        currentRows.map((c) => c.batchId),
        currentRows.map((c) => c.clipId),
        currentRows.map((c) => c.revision),
        currentRows.map((c) => c.opId),
      ],
    );
    for (const r of stored) {
      seqs.set(r.op_id, r.seq);
    }
  }
  return seqs;
}

async function applyLocked(
  tx: PgDb,
  kind: OpKind,
  account: string,
  ops: readonly IncomingOp[],
  now: number,
  source: OpSource,
): Promise<OpResult[]> {
  await lockOps(tx);
  const clips = new Map<string, { batchId: string; clipId: string }>();
  for (const op of ops) {
    const of = op.revision ?? fieldsOf(op.payload);
    if (of.batchId !== null && of.clipId !== null) {
      clips.set(clipKey(of.batchId, of.clipId), { batchId: of.batchId, clipId: of.clipId });
    }
  }
  const pairs = [...clips.values()];
  // One read of all the apply needs: the ops already held under these ids, then the revisions,
  // current rows and withdrawn state of the clips concerned.
  const rows = await tx.query<ApplyReadRow>(
    `WITH wanted AS (SELECT * FROM unnest($2::text[], $3::text[]) AS w (batch_id, clip_id))
     SELECT 'held' AS src, op_id, seq, kind, account, payload_hash, received_at,
            NULL::text AS batch_id, NULL::text AS clip_id, NULL::int AS revision
       FROM ops WHERE op_id = ANY($1::text[])
     UNION ALL
     SELECT 'revision', op_id, NULL, NULL, NULL, NULL, NULL, batch_id, clip_id, revision FROM annotation_revisions
      WHERE (batch_id, clip_id) IN (SELECT batch_id, clip_id FROM wanted)
     UNION ALL
     SELECT 'current', op_id, NULL, NULL, NULL, NULL, NULL, batch_id, clip_id, revision FROM current_annotations
      WHERE (batch_id, clip_id) IN (SELECT batch_id, clip_id FROM wanted)
     UNION ALL
     SELECT 'withdrawn', '', NULL, NULL, NULL, NULL, NULL, batch_id, clip_id, 0 FROM batch_clips
      WHERE withdrawn AND (batch_id, clip_id) IN (SELECT batch_id, clip_id FROM wanted)`,
    [[...new Set(ops.map((o) => o.opId))], pairs.map((p) => p.batchId), pairs.map((p) => p.clipId)],
  );
  const held = new Map<string, HeldOp>();
  const withdrawn = new Set<string>();
  const taken = new Map<string, string>();
  const current = new Map<string, { batchId: string; clipId: string; revision: number; opId: string }>();
  for (const r of rows) {
    if (r.src === 'held') {
      held.set(r.op_id, {
        kind: r.kind,
        account: r.account,
        hash: r.payload_hash,
        seq: r.seq,
        receivedAt: r.received_at,
      });
      continue;
    }
    const { batch_id: batchId, clip_id: clipId } = r;
    if (r.src === 'withdrawn') {
      withdrawn.add(clipKey(batchId, clipId));
    } else if (r.src === 'revision') {
      taken.set(revisionKey(batchId, clipId, r.revision), r.op_id);
    } else {
      current.set(clipKey(batchId, clipId), { batchId, clipId, revision: r.revision, opId: r.op_id });
    }
  }

  const plan = new ApplyPlan(held, taken, current, withdrawn);
  for (const op of ops) {
    plan.add(kind, account, op, now);
  }
  return plan.finish(await storePlan(tx, kind, account, now, source, plan), now);
}

export function pgOpRepository(db: PgDb): OpRepository {
  return {
    apply: (kind, account, ops, now, source = 'online') =>
      db.atomic((tx) => applyLocked(tx, kind, account, ops, now, source)),
    eraseClip: (batchId, clipId) =>
      db.atomic(async (tx) => {
        await lockOps(tx);
        // What supervisors wrote back about the clip (a close reason, guidance) goes with it; ids and hashes stay.
        await tx.execute(
          `UPDATE escalation_responses SET body = '{}' WHERE op_id IN
             (SELECT op_id FROM ops WHERE kind = 'escalation' AND batch_id = $1 AND clip_id = $2)`,
          [batchId, clipId],
        );
        // The tombstone is canonical JSON (keys in order), like every stored payload.
        const erased = await tx.query<{ kind: OpKind }>(
          `UPDATE ops SET payload = '{"batchId":' || to_json($1::text)::text || ',"clipId":' || to_json($2::text)::text
                                 || ',"opId":' || to_json(op_id::text)::text || ',"withdrawn":true}',
                  created_at = NULL, category = NULL, withdrawn = true
            WHERE kind IN ('annotation', 'escalation') AND batch_id = $1 AND clip_id = $2 AND NOT withdrawn
           RETURNING kind`,
          [batchId, clipId],
        );
        await tx.execute('DELETE FROM current_annotations WHERE batch_id = $1 AND clip_id = $2', [batchId, clipId]);
        // The withdrawal in the export stream: a seq from the ops' own sequence, drawn under the
        // lock like theirs, so it too commits in seq order. Once per clip.
        await tx.execute(
          `INSERT INTO clip_withdrawals (seq, batch_id, clip_id)
           SELECT nextval(pg_get_serial_sequence('ops', 'seq')), $1, $2
            WHERE NOT EXISTS (SELECT 1 FROM clip_withdrawals WHERE batch_id = $1 AND clip_id = $2)`,
          [batchId, clipId],
        );
        return {
          annotations: erased.filter((r) => r.kind === 'annotation').length,
          escalations: erased.filter((r) => r.kind === 'escalation').length,
        };
      }),
    async current(batchId) {
      const rows = await db.query<RawCurrentAnnotation>(
        `SELECT c.batch_id, c.clip_id, c.revision, c.op_id, o.payload
           FROM current_annotations c JOIN ops o ON o.op_id = c.op_id
          WHERE c.batch_id = $1 ORDER BY c.clip_id`,
        [batchId],
      );
      return rows.map(toCurrentAnnotation);
    },
    // Seq order is commit order (see above), so reading after the cursor never skips a record;
    // one statement reads revisions and withdrawals from one snapshot.
    async exportAnnotations(q) {
      const one = q.batchId === undefined ? undefined : { batch: '$3', id: q.batchId };
      const sql = exportRecordsSql({ after: '$1', limit: '$2', ...(one ? { batch: one.batch } : {}) });
      const rows = await db.query<RawExportedRecord>(sql, [q.afterSeq, q.limit, ...(one ? [one.id] : [])]);
      return rows.map(toExportedRecord);
    },
    async count(kind) {
      const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ops WHERE kind = $1', [kind]);
      return r?.n ?? 0;
    },
    ...pgAccountOpReads(db),
  };
}
