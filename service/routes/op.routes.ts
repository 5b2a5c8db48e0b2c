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
  type OpResult,
  type TimingResponse,
} from '../../shared/sync/messages';
import { paths } from '../../shared/sync/protocol';
import { parseJson } from '../http';
import type { IncomingOp, Repositories } from '../store/repositories';
import { callerOf, type Route, type RouteContext } from './route';

/** Why an op naming this batch (and clip) cannot be stored for `account`, or null. */
export async function refusalFor(
  repos: Repositories,
  account: string,
  batchId: string | undefined,
  clipId?: string,
): Promise<string | null> {
  if (batchId === undefined) {
    return null;
  }
  const batch = await repos.batches.find(batchId);
  if (!batch || batch.assignedTo !== account) {
    return `Batch "${batchId}" is not assigned to this reviewer.`;
  }
  if (clipId !== undefined && !(await repos.batches.hasClip(batchId, clipId))) {
    return `Batch "${batchId}" has no clip "${clipId}".`;
  }
  if (clipId !== undefined && (await repos.batches.isWithdrawn(batchId, clipId))) {
    return `Consent for clip "${clipId}" was withdrawn: the service keeps nothing of it.`;
  }
  return null;
}

/** Incoming forms of each op kind; shared with the results-package import. */
export const incoming = {
  annotation: async (repos: Repositories, account: string, op: AnnotationOp): Promise<IncomingOp> => ({
    opId: op.opId,
    payload: op,
    revision: { batchId: op.batchId, clipId: op.clipId, revision: op.revision },
    refusal: await refusalFor(repos, account, op.batchId, op.clipId),
  }),
  escalation: async (repos: Repositories, account: string, op: EscalationOp): Promise<IncomingOp> => ({
    opId: op.opId,
    payload: op,
    refusal: await refusalFor(repos, account, op.batchId, op.clipId),
  }),
  audit: async (repos: Repositories, account: string, op: AuditOp): Promise<IncomingOp> => ({
    opId: op.opId,
    payload: op,
    refusal: await refusalFor(repos, account, op.batchId),
  }),
};

/** Builds each incoming op in turn (in order, on one unit of work's repositories). */
export async function incomingAll<T>(
  items: readonly T[],
  build: (item: T) => Promise<IncomingOp>,
): Promise<IncomingOp[]> {
  const ops: IncomingOp[] = [];
  for (const item of items) {
    ops.push(await build(item));
  }
  return ops;
}

/** The ops of an answer the service now holds for the caller: stored now or before. */
export const heldOpIds = (results: readonly OpResult[]): string[] =>
  results.filter((r) => r.outcome === 'stored' || r.outcome === 'duplicate').map((r) => r.opId);

/**
 * Checks and stores the ops and counts them against the session, all in one unit of work, then
 * trips the token-expiry fault.
 */
async function store<T>(
  ctx: RouteContext,
  kind: 'annotation' | 'escalation' | 'audit',
  items: readonly T[],
  build: (tx: Repositories, account: string, item: T) => Promise<IncomingOp>,
) {
  const caller = callerOf(ctx);
  const account = caller.account.account;
  const now = ctx.core.now();
  const { results, stored } = await ctx.core.store.transaction(async (tx) => {
    const ops = await incomingAll(items, (item) => build(tx, account, item));
    const applied = await tx.ops.apply(kind, account, ops, now);
    await tx.syncState.recordDevice(account, caller.session.keyId, heldOpIds(applied));
    const count = applied.filter((r) => r.outcome === 'stored').length;
    await tx.sessions.countOps(caller.tokenHash, count);
    return { results: applied, stored: count };
  });
  if (ctx.core.faults.takeTokenExpiry(caller.session.opsStored + stored)) {
    await ctx.core.store.sessions.expire(caller.tokenHash, now);
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
    return store(ctx, 'annotation', parseJson(ctx.body, annotationBulkSchema).ops, incoming.annotation);
  },
};

export const uploadEscalations: Route = {
  method: 'POST',
  path: paths.escalations,
  auth: true,
  upload: true,
  handle(ctx) {
    return store(ctx, 'escalation', parseJson(ctx.body, escalationBulkSchema).ops, incoming.escalation);
  },
};

export const uploadAudit: Route = {
  method: 'POST',
  path: paths.auditEvents,
  auth: true,
  upload: true,
  handle(ctx) {
    return store(ctx, 'audit', parseJson(ctx.body, auditBulkSchema).ops, incoming.audit);
  },
};

export const uploadTiming: Route = {
  method: 'POST',
  path: paths.timing,
  auth: true,
  upload: true,
  // Timing is numbers only: a record with anything else (free text above all) is refused and audited.
  audit: 'timing.upload',
  async handle(ctx) {
    const { records } = parseJson(ctx.body, timingBulkSchema);
    const response: TimingResponse = {
      accepted: await ctx.core.store.timing.add(callerOf(ctx).account.account, records, ctx.core.now()),
    };
    return { status: 200, json: response };
  },
};
