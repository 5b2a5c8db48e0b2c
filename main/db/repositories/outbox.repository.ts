/**
 * SQL for the sync outbox (migration 0005): ops waiting for the annotation service, in the
 * order they were saved. Rows hold ids and facts only; annotation and escalation bodies stay
 * sealed in their own tables.
 */
import type { ParkReason } from '../../../shared/domain/sync';
import type { AuditEventType } from '../../../shared/sync/messages';
import type { OpKind } from '../../../shared/sync/protocol';
import type { Connection } from '../connection';

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
};

export type OutboxRow = NewOutboxRow & { readonly seq: number; readonly attempts: number };

export type ParkedRow = OutboxRow & { readonly parkedAt: number; readonly reason: ParkReason };

type Raw = {
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
};

const COLUMNS = 'seq, op_id, kind, author, batch_id, clip_id, revision, audit_type, ref_op_id, created_at, attempts';

const toRow = (r: Raw): OutboxRow => ({
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
});

/** Only work on batches that came from the service is ever sent; demo work stays local. */
const SENDABLE = '(o.batch_id IS NULL OR o.batch_id IN (SELECT batch_id FROM sync_batches))';

/** The insert every writer of outbox rows shares, so all rows are made the same way. */
export function prepareOutboxInsert(db: Connection): (row: NewOutboxRow) => void {
  const insert = db.prepare<
    [string, OpKind, string, string | null, string | null, number | null, string | null, string | null, number]
  >(
    `INSERT INTO outbox (op_id, kind, author, batch_id, clip_id, revision, audit_type, ref_op_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (r) => {
    insert.run(r.opId, r.kind, r.author, r.batchId, r.clipId, r.revision, r.auditType, r.refOpId, r.createdAt);
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
  const parked = db.prepare<[string], Raw & { parked_at: number; park_reason: ParkReason }>(
    `SELECT ${COLUMNS}, parked_at, park_reason FROM outbox o WHERE o.state = 'parked' AND o.author = ? ORDER BY o.seq`,
  );
  const ack = db.prepare<[number, number | null, number]>(
    "UPDATE outbox SET state = 'acked', acked_at = ?, server_seq = ? WHERE seq = ? AND state <> 'acked'",
  );
  const annotationSynced = db.prepare<[number, string]>(
    'UPDATE annotations SET synced_at = coalesce(synced_at, ?) WHERE op_id = ?',
  );
  const escalationSynced = db.prepare<[number, string]>(
    'UPDATE escalations SET synced_at = coalesce(synced_at, ?) WHERE id = ?',
  );
  const park = db.prepare<[number, ParkReason, number]>(
    "UPDATE outbox SET state = 'parked', parked_at = ?, park_reason = ? WHERE seq = ? AND state = 'pending'",
  );
  const attempt = db.prepare<[number]>('UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?');
  const unsettled = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM outbox WHERE batch_id = ? AND state <> 'acked'",
  );
  const highWater = db.prepare<[], { annotations: number; outboxSeq: number }>(
    // The outbox's AUTOINCREMENT high-water mark, not max(seq): an erasure for withdrawn consent
    // deletes unsent rows, which may be the last ones written.
    `SELECT (SELECT count(*) FROM annotations) AS annotations,
       coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0) AS outboxSeq`,
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
    parked: (author: string): ParkedRow[] =>
      parked.all(author).map((r) => ({ ...toRow(r), parkedAt: r.parked_at, reason: r.park_reason })),
    /**
     * Records what the service answered, in one transaction: every op sent counts an attempt,
     * acknowledged ops are marked (with their annotation or escalation), parked ones set aside.
     */
    settle: (
      sent: readonly OutboxRow[],
      acked: readonly { readonly row: OutboxRow; readonly serverSeq: number | null }[],
      parkedNow: readonly { readonly row: OutboxRow; readonly reason: ParkReason }[],
      now: number,
    ): void => {
      db.transaction(() => {
        sent.forEach((row) => attempt.run(row.seq));
        for (const { row, serverSeq } of acked) {
          ack.run(now, serverSeq, row.seq);
          if (row.kind === 'annotation') {
            annotationSynced.run(now, row.opId);
          } else if (row.kind === 'escalation') {
            escalationSynced.run(now, row.opId);
          }
        }
        for (const { row, reason } of parkedNow) {
          park.run(now, reason, row.seq);
        }
      }).immediate();
    },
    /** Ops of a batch not yet acknowledged (pending or parked). */
    unsettled: (batchId: string): number => unsettled.get(batchId)?.n ?? 0,
    /** Rows per state, for diagnostics and tests. */
    counts: (): Record<string, number> => Object.fromEntries(byState.all().map((r) => [r.state, r.n])),
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
