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
import { paths, type OpKind } from '../../shared/sync/protocol';
import { appendAudit } from '../audit';
import { scoreGoldOps } from '../gold-scoring';
import { parseJson } from '../http';
import type { IncomingOp, OpCheckFacts, OpRefusal, Repositories } from '../store/repositories';
import { storeTiming } from '../timing-checks';
import { callerOf, type Route, type RouteContext } from './route';

/** Who sends an op: the account, and the device key it comes from (the session's, or the package's signer). */
export type OpSender = { readonly account: string; readonly keyId: string };

/** Why an op naming this batch (and clip) cannot be stored for `account`, or null. */
export function refusalFor(
  facts: OpCheckFacts,
  account: string,
  batchId: string,
  clipId: string | undefined,
): OpRefusal | null {
  if (facts.assignedTo !== account) {
    return { code: 'not_assigned', message: `Batch "${batchId}" is not assigned to this reviewer.` };
  }
  if (clipId !== undefined && !facts.hasClip) {
    return { code: 'no_such_clip', message: `Batch "${batchId}" has no clip "${clipId}".` };
  }
  if (clipId !== undefined && facts.withdrawn) {
    return {
      code: 'withdrawn',
      message: `Consent for clip "${clipId}" was withdrawn: the service keeps nothing of it.`,
    };
  }
  return null;
}

/**
 * One writer per batch: an annotation is taken only from the device holding the batch, or from
 * any device of the account while nobody holds it (a batch packed for an offline station), and
 * never from a device whose checkout was handed over. Escalations and audit events are not
 * held to this: an escalation of someone in distress is never turned away.
 */
export function writerRefusal(facts: OpCheckFacts, who: OpSender, batchId: string): OpRefusal | null {
  if (facts.releasedFromDevice) {
    return {
      code: 'handed_over',
      message: `Batch "${batchId}" was handed over from this device: its later work on the batch is not taken.`,
    };
  }
  if (facts.holderKeyId !== null && facts.holderKeyId !== who.keyId) {
    return {
      code: 'checked_out_elsewhere',
      message: `Batch "${batchId}" is checked out to another device of this account.`,
    };
  }
  return null;
}

/** The refusal of an op naming `batchId` (and `clipId`), read in one lookup; null when it may be stored. */
async function checkOp(
  repos: Repositories,
  who: OpSender,
  batchId: string | undefined,
  clipId: string | undefined,
  oneWriter: boolean,
): Promise<OpRefusal | null> {
  if (batchId === undefined) {
    return null;
  }
  const facts = await repos.opChecks.facts({ account: who.account, keyId: who.keyId, batchId, clipId });
  return refusalFor(facts, who.account, batchId, clipId) ?? (oneWriter ? writerRefusal(facts, who, batchId) : null);
}

/** Incoming forms of each op kind; shared with the results-package import. */
export const incoming = {
  annotation: async (repos: Repositories, who: OpSender, op: AnnotationOp): Promise<IncomingOp> => ({
    opId: op.opId,
    payload: op,
    revision: {
      batchId: op.batchId,
      clipId: op.clipId,
      revision: op.revision,
      baseRevision: op.baseRevision ?? 0,
      baseOpId: op.baseOpId,
    },
    refusal: await checkOp(repos, who, op.batchId, op.clipId, true),
  }),
  escalation: async (repos: Repositories, who: OpSender, op: EscalationOp): Promise<IncomingOp> => ({
    opId: op.opId,
    payload: op,
    refusal: await checkOp(repos, who, op.batchId, op.clipId, false),
  }),
  audit: async (repos: Repositories, who: OpSender, op: AuditOp): Promise<IncomingOp> => ({
    opId: op.opId,
    payload: op,
    refusal: await auditRefusal(repos, who, op),
  }),
};

/**
 * An audit event names facts the service can check: its batch must be the sender's, and a clip it
 * names must be one of that batch's (withdrawn or not: an erasure for withdrawn consent is what
 * such an event records). Unchecked, a clip id is 80 free bits a reviewer could fill with anything.
 */
async function auditRefusal(repos: Repositories, who: OpSender, op: AuditOp): Promise<OpRefusal | null> {
  if (op.clipId === undefined) {
    return checkOp(repos, who, op.batchId, undefined, false);
  }
  if (op.batchId === undefined) {
    return { code: 'no_such_clip', message: `Clip "${op.clipId}" is named without its batch.` };
  }
  const facts = await repos.opChecks.facts({
    account: who.account,
    keyId: who.keyId,
    batchId: op.batchId,
    clipId: op.clipId,
  });
  return (
    refusalFor(facts, who.account, op.batchId, undefined) ??
    (facts.hasClip ? null : { code: 'no_such_clip', message: `Batch "${op.batchId}" has no clip "${op.clipId}".` })
  );
}

/** Refusals an insider could be probing for (another device's batch, one handed over), for the audit trail. */
const AUDITED_REFUSALS: ReadonlySet<string> = new Set(['checked_out_elsewhere', 'handed_over']);

/** Records each op refused for its writer in the audit trail, in the unit of work that answered it. */
export async function auditWriterRefusals(
  tx: Repositories,
  e: { readonly at: number; readonly who: OpSender; readonly source: string; readonly kind: OpKind },
  results: readonly OpResult[],
  batchOf: (opId: string) => string | undefined,
): Promise<void> {
  for (const r of results) {
    if (AUDITED_REFUSALS.has(r.code)) {
      await appendAudit(tx, {
        at: e.at,
        actor: e.who.account,
        source: e.source,
        action: 'ops.upload',
        outcome: 'refused',
        code: r.code,
        subject: batchOf(r.opId) ?? null,
        detail: { opId: r.opId, kind: e.kind, keyId: e.who.keyId },
      });
    }
  }
}

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
async function store<T extends { readonly opId: string; readonly batchId?: string | undefined }>(
  ctx: RouteContext,
  kind: OpKind,
  items: readonly T[],
  build: (tx: Repositories, who: OpSender, item: T) => Promise<IncomingOp>,
  /** What else the stored ops change, in the same unit of work (gold scores). */
  after?: (
    tx: Repositories,
    account: string,
    items: readonly T[],
    results: readonly OpResult[],
    now: number,
  ) => Promise<unknown>,
) {
  const caller = callerOf(ctx);
  const account = caller.account.account;
  const who = { account, keyId: caller.session.keyId };
  const now = ctx.core.now();
  const batchOf = new Map(items.map((i) => [i.opId, i.batchId]));
  const { results, stored } = await ctx.core.store.transaction(async (tx) => {
    const ops = await incomingAll(items, (item) => build(tx, who, item));
    const applied = await tx.ops.apply(kind, account, ops, now);
    await tx.syncState.recordDevice(account, caller.session.keyId, heldOpIds(applied));
    await auditWriterRefusals(tx, { at: now, who, source: ctx.source, kind }, applied, (id) => batchOf.get(id));
    await after?.(tx, account, items, applied, now);
    const count = applied.filter((r) => r.outcome === 'stored').length;
    await tx.sessions.countOps(caller.tokenHash, count);
    return { results: applied, stored: count };
  });
  ctx.core.metrics.opsApplied(kind, results);
  if (await ctx.core.faults.takeTokenExpiry(caller.session.opsStored + stored)) {
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
    return store(ctx, 'annotation', parseJson(ctx.body, annotationBulkSchema).ops, incoming.annotation, scoreGoldOps);
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
    const caller = callerOf(ctx);
    const response: TimingResponse = await storeTiming(
      ctx.core,
      { account: caller.account.account, keyId: caller.session.keyId, source: ctx.source, action: 'timing.upload' },
      records,
    );
    return { status: 200, json: response };
  },
};
