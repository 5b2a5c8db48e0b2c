/**
 * Drains the outbox in order: the oldest pending ops of one kind go up together, and what the
 * service answers for each is recorded in one transaction. Stored and duplicate ops are
 * acknowledged; a conflict (same op id, different payload) or a refusal is parked for the
 * reviewer to see, and the rest carry on. A failure of the request itself leaves every op
 * pending and propagates, so the caller can back off and try the same ops again.
 */
import type { ParkReason } from '../../../shared/domain/sync';
import type { AnnotationOp, AuditOp, EscalationOp, OpResult } from '../../../shared/sync/messages';
import { MAX_OPS_PER_REQUEST, type OpKind } from '../../../shared/sync/protocol';
import { toAnnotationOp } from '../../../shared/sync/outgoing';
import type { OutboxRepository, OutboxRow } from '../../db/repositories/outbox.repository';
import type { AnnotationService } from '../annotation.service';
import type { SyncHttp } from './sync-http';

export type DrainDeps = {
  readonly outbox: OutboxRepository;
  readonly annotations: Pick<AnnotationService, 'revisionByOpId' | 'escalationById'>;
  readonly http: SyncHttp;
  readonly now: () => number;
  /** Called after each settled request, so the status can move while a long drain runs. */
  readonly progressed?: () => void;
  /** Called for each op parked now. */
  readonly parked?: (row: OutboxRow, reason: ParkReason) => void;
};

export type DrainResult = { readonly acked: number; readonly parked: number; readonly requests: number };

export type Built = { readonly row: OutboxRow; readonly op: AnnotationOp | EscalationOp | AuditOp | null };

/** The wire form of an outbox row, rebuilt from the sealed work it names; null when that work is gone. */
export function build(d: Pick<DrainDeps, 'annotations'>, row: OutboxRow): Built {
  if (row.kind === 'annotation') {
    const a = d.annotations.revisionByOpId(row.opId);
    return { row, op: a ? toAnnotationOp(a) : null };
  }
  if (row.kind === 'escalation') {
    const e = d.annotations.escalationById(row.opId);
    return {
      row,
      op: e
        ? {
            opId: row.opId,
            batchId: e.batchId,
            clipId: e.clipId,
            category: e.category,
            note: e.note,
            createdAt: e.createdAt,
          }
        : null,
    };
  }
  if (!row.auditType) {
    return { row, op: null };
  }
  return {
    row,
    op: {
      opId: row.opId,
      type: row.auditType,
      at: row.createdAt,
      ...(row.batchId ? { batchId: row.batchId } : {}),
      ...(row.clipId ? { clipId: row.clipId } : {}),
      ...(row.refOpId ? { refOpId: row.refOpId } : {}),
    },
  };
}

/** The leading run of rows of one kind: they go in one request without reordering anything. */
function leadingRun(rows: readonly OutboxRow[]): { kind: OpKind; rows: OutboxRow[] } | null {
  const first = rows[0];
  if (!first) {
    return null;
  }
  const end = rows.findIndex((r) => r.kind !== first.kind);
  return { kind: first.kind, rows: rows.slice(0, end === -1 ? rows.length : end) };
}

async function send(d: DrainDeps, token: string, kind: OpKind, built: readonly Built[]): Promise<OpResult[]> {
  const ops = built.map((b) => b.op).filter((op) => op !== null);
  if (ops.length === 0) {
    return [];
  }
  const response =
    kind === 'annotation'
      ? await d.http.upload(token, 'annotation', ops as AnnotationOp[])
      : kind === 'escalation'
        ? await d.http.upload(token, 'escalation', ops as EscalationOp[])
        : await d.http.upload(token, 'audit', ops as AuditOp[]);
  return response.results;
}

/** Sends everything `author` has pending, oldest first, until the outbox is empty or a request fails. */
export async function drainOutbox(d: DrainDeps, token: string, author: string): Promise<DrainResult> {
  let acked = 0;
  let parked = 0;
  let requests = 0;
  for (;;) {
    const run = leadingRun(d.outbox.pending(author, MAX_OPS_PER_REQUEST));
    if (!run) {
      return { acked, parked, requests };
    }
    const built = run.rows.map((row) => build(d, row));
    const results = await send(d, token, run.kind, built);
    requests += 1;
    const byId = new Map(results.map((r) => [r.opId, r]));
    const ackNow: { row: OutboxRow; serverSeq: number | null }[] = [];
    const parkNow: { row: OutboxRow; reason: ParkReason }[] = [];
    for (const b of built) {
      const result = byId.get(b.row.opId);
      if (b.op === null) {
        // The work it names is gone (it cannot be rebuilt): never resend, show it instead.
        parkNow.push({ row: b.row, reason: 'rejected' });
      } else if (result?.outcome === 'stored' || result?.outcome === 'duplicate') {
        ackNow.push({ row: b.row, serverSeq: result.result?.serverSeq ?? null });
      } else if (result?.outcome === 'conflict' || result?.outcome === 'rejected') {
        parkNow.push({ row: b.row, reason: result.outcome });
      }
    }
    d.outbox.settle(run.rows, ackNow, parkNow, d.now());
    acked += ackNow.length;
    parked += parkNow.length;
    parkNow.forEach((p) => d.parked?.(p.row, p.reason));
    d.progressed?.();
    if (ackNow.length + parkNow.length === 0) {
      // The service answered without settling anything: stop rather than spin on the same ops.
      return { acked, parked, requests };
    }
  }
}
