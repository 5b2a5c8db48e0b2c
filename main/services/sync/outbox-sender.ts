/**
 * Drains the outbox in order: the oldest pending ops of one kind go up together, and what the
 * service answers for each is recorded in one transaction. Stored and duplicate ops are
 * acknowledged; a conflict (same op id, different payload) or a refusal is parked for the
 * reviewer to see with the service's code (a stale or missing base, a batch handed over), and
 * the rest carry on. Each annotation names the revision it amends. A failure of the request itself leaves every op
 * pending and propagates, so the caller can back off and try the same ops again.
 */
import type { Annotation } from '../../../shared/domain/annotation';
import type { ParkCode } from '../../../shared/domain/sync';
import type { AnnotationOp, AuditOp, EscalationOp, OpResult } from '../../../shared/sync/messages';
import { MAX_OPS_PER_REQUEST, type OpKind } from '../../../shared/sync/protocol';
import { toAnnotationOp } from '../../../shared/sync/outgoing';
import type { OutboxRepository, OutboxRow, ParkDetail } from '../../db/repositories/outbox.repository';
import type { AnnotationService } from '../annotation.service';
import type { SyncHttp } from './sync-http';

export type DrainDeps = {
  readonly outbox: OutboxRepository;
  readonly annotations: Pick<AnnotationService, 'revisionByOpId' | 'escalationById'> &
    Partial<Pick<AnnotationService, 'revisionsByOpIds'>>;
  readonly http: SyncHttp;
  readonly now: () => number;
  /** Called after each settled request, so the status can move while a long drain runs. */
  readonly progressed?: () => void;
  /** Called for each op parked now. */
  readonly parked?: (row: OutboxRow, code: ParkCode) => void;
  /** Called with the ops acknowledged for the first time by each request, inside the transaction recording them. */
  readonly acknowledged?: (acked: readonly { readonly row: OutboxRow; readonly serverSeq: number | null }[]) => void;
};

export type DrainResult = { readonly acked: number; readonly parked: number; readonly requests: number };

export type Built = { readonly row: OutboxRow; readonly op: AnnotationOp | EscalationOp | AuditOp | null };

/** The saved revision an annotation row sends: a resent op carries an earlier one under its own op id. */
const revisionOpId = (row: OutboxRow): string => row.sourceOpId ?? row.opId;

/**
 * The wire form of an outbox row, rebuilt from the sealed work it names; null when that work is
 * gone. `revisions`, when given, holds the revisions already read for a whole request.
 */
export function build(
  d: Pick<DrainDeps, 'annotations'>,
  row: OutboxRow,
  revisions?: ReadonlyMap<string, Annotation>,
): Built {
  if (row.kind === 'annotation') {
    // A resent op carries an earlier saved revision under its own op id, revision and base.
    const a = revisions ? revisions.get(revisionOpId(row)) : d.annotations.revisionByOpId(revisionOpId(row));
    return {
      row,
      op: a
        ? toAnnotationOp(a, { opId: row.opId, revision: row.revision ?? a.revision, baseOpId: row.baseOpId })
        : null,
    };
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

/** The wire form of rows going up together: their saved revisions are read in one statement. */
export function buildAll(d: Pick<DrainDeps, 'annotations'>, rows: readonly OutboxRow[]): Built[] {
  const ids = rows.filter((row) => row.kind === 'annotation').map(revisionOpId);
  const revisions = ids.length > 0 ? d.annotations.revisionsByOpIds?.(ids) : undefined;
  return rows.map((row) => build(d, row, revisions));
}

/**
 * What the per-op code means here: the service holds the op (`stored`, `duplicate`), or it is
 * parked for the reviewer with the code and, for a refused base, where the clip stands there.
 */
export function settlementOf(result: OpResult): 'acked' | ParkDetail {
  if (result.code === 'stored' || result.code === 'duplicate') {
    return 'acked';
  }
  return {
    reason: result.outcome === 'conflict' ? 'conflict' : 'rejected',
    code: result.code,
    currentRevision: result.currentRevision,
    currentOpId: result.currentOpId,
  };
}

/** The leading run of rows of one kind: they go in one request without reordering anything. */
export function leadingRun(rows: readonly OutboxRow[]): { kind: OpKind; rows: OutboxRow[] } | null {
  const first = rows[0];
  if (!first) {
    return null;
  }
  const end = rows.findIndex((r) => r.kind !== first.kind);
  return { kind: first.kind, rows: rows.slice(0, end === -1 ? rows.length : end) };
}

export async function send(
  d: Pick<DrainDeps, 'http'>,
  token: string,
  kind: OpKind,
  built: readonly Built[],
): Promise<OpResult[]> {
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
    const built = buildAll(d, run.rows);
    const results = await send(d, token, run.kind, built);
    requests += 1;
    const byId = new Map(results.map((r) => [r.opId, r]));
    const ackNow: { row: OutboxRow; serverSeq: number | null }[] = [];
    const parkNow: { row: OutboxRow; park: ParkDetail }[] = [];
    for (const b of built) {
      const result = byId.get(b.row.opId);
      if (b.op === null) {
        // The work it names is gone (it cannot be rebuilt): never resend, show it instead.
        parkNow.push({ row: b.row, park: { reason: 'rejected', code: 'work_missing' } });
      } else if (result) {
        const settled = settlementOf(result);
        if (settled === 'acked') {
          ackNow.push({ row: b.row, serverSeq: result.result?.serverSeq ?? null });
        } else {
          parkNow.push({ row: b.row, park: settled });
        }
      }
    }
    d.outbox.settle(run.rows, ackNow, parkNow, d.now(), () => d.acknowledged?.(ackNow));
    acked += ackNow.length;
    parked += parkNow.length;
    parkNow.forEach((p) => d.parked?.(p.row, p.park.code));
    d.progressed?.();
    if (ackNow.length + parkNow.length === 0) {
      // The service answered without settling anything: stop rather than spin on the same ops.
      return { acked, parked, requests };
    }
  }
}
