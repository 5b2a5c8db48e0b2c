/**
 * SQL for the sync outbox (migration 0005): ops waiting for the annotation service, in the
 * order they were saved. Rows hold ids and facts only; annotation and escalation bodies stay
 * sealed in their own tables.
 */
import type { ParkCode, ParkReason } from '../../../shared/domain/sync';
import type { OpKind } from '../../../shared/sync/protocol';
import type { Connection } from '../connection';
import { commitUnsynced } from '../unsynced-commit';
import {
  COLUMNS,
  toRow,
  type NewOutboxRow,
  type OutboxRow,
  type ParkDetail,
  type ParkedRow,
  type Raw,
} from './outbox-rows';

export type { NewOutboxRow, OutboxRow, ParkDetail, ParkedRow };

/**
 * Only work on batches that came from the service is ever sent; demo work stays local. Asked with
 * EXISTS rather than IN: with IN, SQLite gathered every pending row through the batch index and
 * sorted them all for each page it read, so a drain cost more the more work waited; with EXISTS it
 * walks the pending index in outbox order and stops at the page's end.
 */
const SENDABLE = '(o.batch_id IS NULL OR EXISTS (SELECT 1 FROM sync_batches s WHERE s.batch_id = o.batch_id))';

/** Unresolved parked ops, read from their partial index (migration 0020); callers add the author. */
export const PARKED = `SELECT ${COLUMNS}, parked_at, park_reason, park_code, current_revision, current_op_id FROM outbox o
     WHERE o.state = 'parked' AND o.resolution IS NULL`;

/** The insert every writer of outbox rows shares, so all rows are made the same way. */
export function prepareOutboxInsert(db: Connection): (row: NewOutboxRow) => void {
  const insert = db.prepare<
    [
      string,
      OpKind,
      string,
      string | null,
      string | null,
      number | null,
      string | null,
      string | null,
      number,
      number | null,
      string | null,
      string | null,
    ]
  >(
    `INSERT INTO outbox (op_id, kind, author, batch_id, clip_id, revision, audit_type, ref_op_id, created_at,
       base_revision, base_op_id, source_op_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The clip's newest op that still stands (not resent or discarded): a new revision amends it.
  const chainHead = db.prepare<[string | null, string | null], { revision: number; op_id: string }>(
    `SELECT revision, op_id FROM outbox WHERE kind = 'annotation' AND batch_id = ? AND clip_id = ?
       AND resolution IS NULL ORDER BY seq DESC LIMIT 1`,
  );
  return (r) => {
    let revision = r.revision;
    let baseOpId = r.baseOpId ?? null;
    if (r.kind === 'annotation' && r.baseOpId === undefined) {
      const head = chainHead.get(r.batchId, r.clipId);
      revision = head ? head.revision + 1 : r.revision;
      baseOpId = head?.op_id ?? null;
    }
    const baseRevision = r.kind === 'annotation' && revision !== null ? revision - 1 : null;
    insert.run(
      r.opId,
      r.kind,
      r.author,
      r.batchId,
      r.clipId,
      revision,
      r.auditType,
      r.refOpId,
      r.createdAt,
      baseRevision,
      baseOpId,
      r.sourceOpId ?? null,
    );
  };
}

export function createOutboxRepository(db: Connection) {
  const add = prepareOutboxInsert(db);
  const pending = db.prepare<[string, number], Raw>(
    `SELECT ${COLUMNS} FROM outbox o WHERE o.state = 'pending' AND o.author = ? AND ${SENDABLE} ORDER BY o.seq LIMIT ?`,
  );
  const countPending = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM outbox o WHERE o.state = 'pending' AND o.author = ? AND ${SENDABLE}`,
  );
  type RawParked = Raw & {
    parked_at: number;
    park_reason: ParkReason;
    park_code: ParkCode | null;
    current_revision: number | null;
    current_op_id: string | null;
  };
  const parked = db.prepare<[string], RawParked>(`${PARKED} AND o.author = ? ORDER BY o.seq`);
  const parkedOne = db.prepare<[string, string], RawParked>(`${PARKED} AND o.author = ? AND o.op_id = ?`);
  const toParked = (r: RawParked): ParkedRow => ({
    ...toRow(r),
    parkedAt: r.parked_at,
    reason: r.park_reason,
    // Rows parked before codes existed say only conflict or rejected.
    code: r.park_code ?? (r.park_reason === 'conflict' ? 'conflict' : 'rejected'),
    currentRevision: r.current_revision,
    currentOpId: r.current_op_id,
  });
  const resolve = db.prepare<[{ resolution: string; at: number; reason: string | null; seq: number }]>(
    `UPDATE outbox SET resolution = @resolution, resolved_at = @at, resolution_reason = @reason
     WHERE seq = @seq AND state = 'parked' AND resolution IS NULL`,
  );
  // Set-based over the whole answer, like the two below: the acknowledged rows as one JSON array
  // of [outbox seq, serverSeq] pairs, each looked up by its primary key. One statement per request
  // rather than one per op.
  // It counts the attempt too: an acknowledged row is written once per request, not twice.
  const ack = db.prepare<{ at: number; acks: string }>(
    `UPDATE outbox SET state = 'acked', acked_at = @at, server_seq = a.value ->> 1, attempts = attempts + 1
     FROM json_each(@acks) AS a WHERE outbox.seq = a.value ->> 0 AND outbox.state <> 'acked'`,
  );
  const insertRow = prepareOutboxInsert(db);
  const park = db.prepare<
    [
      {
        at: number;
        reason: ParkReason;
        code: ParkCode;
        currentRevision: number | null;
        currentOpId: string | null;
        seq: number;
      },
    ]
  >(
    `UPDATE outbox SET state = 'parked', parked_at = @at, park_reason = @reason, park_code = @code,
       current_revision = @currentRevision, current_op_id = @currentOpId
     WHERE seq = @seq AND state = 'pending'`,
  );
  const attempts = db.prepare<[string]>(
    'UPDATE outbox SET attempts = attempts + 1 WHERE seq IN (SELECT value FROM json_each(?))',
  );
  // A parked op the reviewer resolved (resent as a new op, or discarded) no longer waits.
  const unsettled = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM outbox WHERE batch_id = ? AND state <> 'acked' AND resolution IS NULL",
  );
  const pendingOfBatch = db.prepare<[string, string], { n: number }>(
    "SELECT count(*) AS n FROM outbox WHERE batch_id = ? AND author = ? AND state = 'pending' AND kind = 'annotation'",
  );
  const highWater = db.prepare<[], { annotations: number; outboxSeq: number }>(
    // The outbox's AUTOINCREMENT high-water mark, not max(seq): an erasure for withdrawn consent
    // deletes unsent rows, which may be the last ones written.
    `SELECT (SELECT count(*) FROM annotations) AS annotations,
       coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0) AS outboxSeq`,
  );
  // Kept for resending while the batch is here, and for 14 days (the cutoff) after its erasure
  // or the acknowledgement, whichever is later. Ops naming no batch (audit events) are kept.
  const acknowledged = db.prepare<{ author: string; after: number; limit: number; cutoff: number }, Raw>(
    `SELECT ${COLUMNS} FROM outbox o
     WHERE o.state = 'acked' AND o.author = @author AND o.seq > @after AND ${SENDABLE}
       AND (o.batch_id IS NULL OR o.acked_at > @cutoff OR EXISTS (
             SELECT 1 FROM batches b LEFT JOIN sync_batches s ON s.batch_id = b.id
             WHERE b.id = o.batch_id AND (b.status = 'active' OR coalesce(s.erased_at, b.expires_at) > @cutoff)))
     ORDER BY o.seq LIMIT @limit`,
  );
  const byState = db.prepare<[], { state: string; n: number }>(
    'SELECT state, count(*) AS n FROM outbox GROUP BY state',
  );

  return {
    /**
     * How much committed work the database holds: revisions stored and the last outbox number.
     * Neither ever goes down (revisions of an erased clip keep their rows; the outbox number is
     * SQLite's high-water mark), so a database showing less lost work.
     */
    committedWork: (): { annotations: number; outboxSeq: number } =>
      highWater.get() ?? { annotations: 0, outboxSeq: 0 },
    /** Adds an op on its own (audit events); annotations and escalations come with their work. */
    add: (row: NewOutboxRow): void => add(row),
    /** The next `limit` ops of `author` to send, oldest first. */
    pending: (author: string, limit: number): OutboxRow[] => pending.all(author, limit).map(toRow),
    countPending: (author: string): number => countPending.get(author)?.n ?? 0,
    /** Parked ops the reviewer has not resolved yet, oldest first. */
    parked: (author: string): ParkedRow[] => parked.all(author).map(toParked),
    /** One unresolved parked op of `author`, or undefined. */
    parkedOp: (author: string, opId: string): ParkedRow | undefined => {
      const r = parkedOne.get(author, opId);
      return r ? toParked(r) : undefined;
    },
    /** Settles a parked op for good, in one transaction; `resent` also queues `resend`, carrying the same work. */
    resolve: (
      row: ParkedRow,
      r: { readonly resolution: 'resent' | 'discarded'; readonly at: number; readonly reason: string | null },
      resend?: NewOutboxRow,
    ): boolean =>
      db
        .transaction(() => {
          if (resolve.run({ resolution: r.resolution, at: r.at, reason: r.reason, seq: row.seq }).changes !== 1) {
            return false;
          }
          if (resend) {
            insertRow(resend);
          }
          return true;
        })
        .immediate(),
    /** Annotations of `author` on a batch still waiting to be sent. */
    pendingAnnotations: (batchId: string, author: string): number => pendingOfBatch.get(batchId, author)?.n ?? 0,
    /**
     * Records what the service answered, in one transaction: every op sent counts an attempt,
     * acknowledged ops are marked, parked ones set aside. The outbox alone says what was
     * acknowledged: the revision or escalation an op carries is not written to.
     * Its commit is not synced by itself: an answer lost to a power cut is asked for again.
     * `alongside` runs in the same transaction (the count of acknowledgements), so the two are
     * never apart and the answer costs one commit.
     */
    settle: (
      sent: readonly OutboxRow[],
      acked: readonly { readonly row: OutboxRow; readonly serverSeq: number | null }[],
      parkedNow: readonly { readonly row: OutboxRow; readonly park: ParkDetail }[],
      now: number,
      alongside?: () => void,
    ): void => {
      commitUnsynced(db, () => {
        // Every row sent counts an attempt: those acknowledged now in the acknowledgement itself.
        const ackedNow = new Set(acked.map(({ row }) => row.seq));
        const others = sent.filter((row) => !ackedNow.has(row.seq));
        if (others.length > 0) {
          attempts.run(JSON.stringify(others.map((row) => row.seq)));
        }
        if (acked.length > 0) {
          ack.run({ at: now, acks: JSON.stringify(acked.map(({ row, serverSeq }) => [row.seq, serverSeq])) });
        }
        for (const { row, park: p } of parkedNow) {
          park.run({
            at: now,
            reason: p.reason,
            code: p.code,
            currentRevision: p.currentRevision ?? null,
            currentOpId: p.currentOpId ?? null,
            seq: row.seq,
          });
        }
        alongside?.();
      });
    },
    /** Ops of a batch not yet acknowledged (pending or parked). */
    unsettled: (batchId: string): number => unsettled.get(batchId)?.n ?? 0,
    /**
     * Acknowledged ops of `author` still kept for resending, oldest first, after outbox number
     * `afterSeq`: those whose batch is here, or was erased, or was acknowledged, after `cutoff`.
     */
    acknowledged: (author: string, afterSeq: number, limit: number, cutoff: number): OutboxRow[] =>
      acknowledged.all({ author, after: afterSeq, limit, cutoff }).map(toRow),
    /** Rows per state, for diagnostics and tests. */
    counts: (): Record<string, number> => Object.fromEntries(byState.all().map((r) => [r.state, r.n])),
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
