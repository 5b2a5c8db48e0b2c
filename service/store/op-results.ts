/**
 * The result of each op an apply is given, written once for both stores, so the same op gets the
 * same outcome, code and words from either; and the base check (one writer per clip) that decides
 * whether an annotation revision may be stored.
 */
import type { OpRefusalCode, OpResult } from '../../shared/sync/messages';
import { outcomeStatus } from '../../shared/sync/protocol';
import type { IncomingOp } from './repositories';

/** A clip's current revision as a refusal names it (revision 0 and no op when it has none). */
export type CurrentRevision = { readonly revision: number; readonly opId: string | null };

/** The op is refused with `code`; a refusal about revisions names the clip's current one. */
export const refusedResult = (
  opId: string,
  code: OpRefusalCode,
  message: string,
  current?: CurrentRevision,
): OpResult => ({
  opId,
  outcome: 'rejected',
  code,
  status: outcomeStatus.rejected,
  message,
  ...(current ? { currentRevision: current.revision } : {}),
  ...(current?.opId ? { currentOpId: current.opId } : {}),
});

/** The op id was stored before with another payload, kind or account. */
export const conflictResult = (opId: string): OpResult => ({
  opId,
  outcome: 'conflict',
  code: 'conflict',
  status: outcomeStatus.conflict,
  message: 'This op id was stored before with a different payload; nothing was changed.',
});

/** The same op was stored before, as `serverSeq`. */
export const duplicateResult = (opId: string, serverSeq: number, receivedAt: number): OpResult => ({
  opId,
  outcome: 'duplicate',
  code: 'duplicate',
  status: outcomeStatus.duplicate,
  result: { serverSeq, receivedAt },
});

/** The op is stored now, as `serverSeq`. */
export const storedResult = (opId: string, serverSeq: number, receivedAt: number): OpResult => ({
  opId,
  outcome: 'stored',
  code: 'stored',
  status: outcomeStatus.stored,
  result: { serverSeq, receivedAt },
});

/** What the base check reads of the store (or of what an apply has stored so far). */
export type RevisionLookup = {
  /** The clip's current revision and the op that holds it, if it has one. */
  current(batchId: string, clipId: string): { readonly revision: number; readonly opId: string } | undefined;
  /** The op that holds this revision of the clip, if any does. */
  opOfRevision(batchId: string, clipId: string, revision: number): string | undefined;
};

/**
 * One writer per clip: an annotation is stored only on top of the clip's current revision, so no
 * revision is ever kept whose base was refused and the history has no holes. Null when `op` may
 * be stored (or carries no revision).
 */
export function baseRefusal(op: IncomingOp, store: RevisionLookup): OpResult | null {
  const r = op.revision;
  if (!r) {
    return null;
  }
  const row = store.current(r.batchId, r.clipId);
  const current = { revision: row?.revision ?? 0, opId: row?.opId ?? null };
  if (r.baseRevision > 0 && store.opOfRevision(r.batchId, r.clipId, r.baseRevision) !== r.baseOpId) {
    return refusedResult(
      op.opId,
      'base_missing',
      `The service holds no revision ${r.baseRevision} of clip "${r.clipId}" by the op this one amends.`,
      current,
    );
  }
  if (current.revision !== r.baseRevision) {
    return refusedResult(
      op.opId,
      'base_stale',
      `Clip "${r.clipId}" is at revision ${current.revision}, not ${r.baseRevision}: resend on top of it.`,
      current,
    );
  }
  // With the base current, the revision is free; this holds for stores written before bases were checked.
  if (store.opOfRevision(r.batchId, r.clipId, r.revision) !== undefined) {
    return refusedResult(
      op.opId,
      'revision_taken',
      `Revision ${r.revision} of clip "${r.clipId}" was stored under another op id.`,
      current,
    );
  }
  return null;
}
