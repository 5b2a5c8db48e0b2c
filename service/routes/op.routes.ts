/**
 * Bulk uploads: annotations, escalations and audit events (deduplicated by op id) and timing
 * records (by record id). Each request commits as one transaction.
 */
import {
  annotationBulkSchema,
  auditBulkSchema,
  escalationBulkSchema,
  timingBulkSchema,
  type AnnotationOp,
  type AuditOp,
  type BulkResponse,
  type EscalationOp,
  type TimingResponse,
} from '../../shared/sync/messages';
import { paths } from '../../shared/sync/protocol';
import type { Core } from '../core';
import { parseJson } from '../http';
import type { IncomingOp } from '../store/op-store';
import { callerOf, type Route, type RouteContext } from './route';

/** Why an op naming this batch (and clip) cannot be stored for `account`, or null. */
export function refusalFor(core: Core, account: string, batchId: string | undefined, clipId?: string): string | null {
  if (batchId === undefined) {
    return null;
  }
  const batch = core.batches.find(batchId);
  if (!batch || batch.assignedTo !== account) {
    return `Batch "${batchId}" is not assigned to this reviewer.`;
  }
  if (clipId !== undefined && !core.batches.hasClip(batchId, clipId)) {
    return `Batch "${batchId}" has no clip "${clipId}".`;
  }
  return null;
}

/** Incoming forms of each op kind; shared with the results-package import. */
export const incoming = {
  annotation: (core: Core, account: string, op: AnnotationOp): IncomingOp => ({
    opId: op.opId,
    payload: op,
    revision: { batchId: op.batchId, clipId: op.clipId, revision: op.revision },
    refusal: refusalFor(core, account, op.batchId, op.clipId),
  }),
  escalation: (core: Core, account: string, op: EscalationOp): IncomingOp => ({
    opId: op.opId,
    payload: op,
    refusal: refusalFor(core, account, op.batchId, op.clipId),
  }),
  audit: (core: Core, account: string, op: AuditOp): IncomingOp => ({
    opId: op.opId,
    payload: op,
    refusal: refusalFor(core, account, op.batchId),
  }),
};

/** Stores, counts what was stored against the session, and trips the token-expiry fault. */
function store(ctx: RouteContext, kind: 'annotation' | 'escalation' | 'audit', ops: readonly IncomingOp[]) {
  const caller = callerOf(ctx);
  const now = ctx.core.now();
  const results = ctx.core.ops.apply(kind, caller.account.account, ops, now);
  const stored = results.filter((r) => r.outcome === 'stored').length;
  ctx.core.auth.countOps(caller.tokenHash, stored);
  if (ctx.core.faults.takeTokenExpiry(caller.session.opsStored + stored)) {
    ctx.core.auth.expireSession(caller.tokenHash, now);
  }
  const response: BulkResponse = { results };
  return { status: 200, json: response };
}

export const uploadAnnotations: Route = {
  method: 'POST',
  path: paths.annotations,
  auth: true,
  upload: true,
  handle(ctx) {
    const account = callerOf(ctx).account.account;
    return store(
      ctx,
      'annotation',
      parseJson(ctx.body, annotationBulkSchema).ops.map((op) => incoming.annotation(ctx.core, account, op)),
    );
  },
};

export const uploadEscalations: Route = {
  method: 'POST',
  path: paths.escalations,
  auth: true,
  upload: true,
  handle(ctx) {
    const account = callerOf(ctx).account.account;
    return store(
      ctx,
      'escalation',
      parseJson(ctx.body, escalationBulkSchema).ops.map((op) => incoming.escalation(ctx.core, account, op)),
    );
  },
};

export const uploadAudit: Route = {
  method: 'POST',
  path: paths.auditEvents,
  auth: true,
  upload: true,
  handle(ctx) {
    const account = callerOf(ctx).account.account;
    return store(
      ctx,
      'audit',
      parseJson(ctx.body, auditBulkSchema).ops.map((op) => incoming.audit(ctx.core, account, op)),
    );
  },
};

export const uploadTiming: Route = {
  method: 'POST',
  path: paths.timing,
  auth: true,
  upload: true,
  handle(ctx) {
    const { records } = parseJson(ctx.body, timingBulkSchema);
    const response: TimingResponse = {
      accepted: ctx.core.timing.add(callerOf(ctx).account.account, records, ctx.core.now()),
    };
    return { status: 200, json: response };
  },
};
