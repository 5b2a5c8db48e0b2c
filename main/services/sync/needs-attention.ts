/**
 * Ops the service would not take as they were ("needs attention"): what the reviewer sees of
 * them, and the two ways to settle one. Nothing is resent on its own and nothing is deleted.
 *
 * - **Resend** (an annotation refused for its base, or for a revision another op holds): the
 *   same saved work goes again as a new op, with the service's next revision on top of the
 *   clip's current one (which the refusal reported). The parked op is marked `resent`.
 * - **Discard**: the op stays in the outbox marked `discarded`, with the reason it was refused
 *   kept beside it, and an audit event says so.
 */
import { randomUUID } from 'node:crypto';
import type { AttentionAction, NeedsAttention, ParkCode } from '../../../shared/domain/sync';
import type { AuditEventType } from '../../../shared/sync/messages';
import type { OutboxRepository, ParkedRow } from '../../db/repositories/outbox.repository';
import { ServiceError } from '../service-error';

/** Codes whose op can go again on the clip's current revision: the refusal said what that is. */
const RESENDABLE: ReadonlySet<ParkCode> = new Set<ParkCode>(['base_stale', 'base_missing', 'revision_taken']);

const canResend = (r: ParkedRow): boolean =>
  r.kind === 'annotation' && RESENDABLE.has(r.code) && r.currentRevision !== null;

/** What the sync panel shows of the parked ops. */
export function needsAttentionOf(rows: readonly ParkedRow[]): NeedsAttention[] {
  return rows.map((r) => ({
    opId: r.opId,
    kind: r.kind,
    batchId: r.batchId,
    // An escalation's row names its clip by a keyed reference only, which says nothing on screen.
    clipId: r.kind === 'escalation' ? null : r.clipId,
    revision: r.revision,
    reason: r.reason,
    code: r.code,
    currentRevision: r.currentRevision,
    canResend: canResend(r),
    parkedAt: r.parkedAt,
  }));
}

export type AttentionDeps = {
  readonly outbox: OutboxRepository;
  readonly now: () => number;
  /** The signed-in reviewer; null when nobody is. */
  readonly author: () => string | null;
  readonly audit: (type: AuditEventType, batchId?: string | null, refOpId?: string | null) => void;
  /** Status changed; new work waits (a resend). */
  readonly kick: () => void;
};

/** Settles one parked op of the signed-in reviewer; refused when there is none or it cannot be resent. */
export function resolveAttention(d: AttentionDeps, opId: string, action: AttentionAction): void {
  const who = d.author();
  const row = who ? d.outbox.parkedOp(who, opId) : undefined;
  if (!who || !row) {
    throw new ServiceError('NOT_FOUND', `No op ${opId} needs attention.`);
  }
  const at = d.now();
  if (action === 'discard') {
    // The reason it was refused is kept with the row: it stays, marked, for the audit.
    d.outbox.resolve(row, { resolution: 'discarded', at, reason: row.code });
    d.audit('op_discarded', row.batchId, row.opId);
    d.kick();
    return;
  }
  if (!canResend(row) || row.currentRevision === null) {
    throw new ServiceError('CONFLICT', `Op ${opId} cannot be resent: the service refused it as ${row.code}.`);
  }
  const resent = d.outbox.resolve(
    row,
    { resolution: 'resent', at, reason: row.code },
    {
      opId: randomUUID(),
      kind: 'annotation',
      author: who,
      batchId: row.batchId,
      clipId: row.clipId,
      revision: row.currentRevision + 1,
      auditType: null,
      refOpId: null,
      createdAt: at,
      baseOpId: row.currentOpId,
      sourceOpId: row.sourceOpId ?? row.opId,
    },
  );
  if (resent) {
    d.audit('op_resent', row.batchId, row.opId);
  }
  d.kick();
}
