/**
 * Withdrawing consent for one clip of a batch, checked out or not: the service erases the clip's
 * audio and details and what its annotations and escalations said, records who did it, and from
 * then on names the clip in the batch's status so every workstation holding it erases it at its
 * next sync. The admin CLI (`admin clips withdraw`) and any admin endpoint call this.
 */
import type { Core } from './core';

export type ClipWithdrawal = {
  readonly batchId: string;
  readonly clipId: string;
  /** The operator account acting. */
  readonly actor: string;
  /** Where from: `cli` on the service host, or the peer address. */
  readonly source: string;
};

export type WithdrawalReport = {
  readonly batchId: string;
  readonly clipId: string;
  readonly annotationsErased: number;
  readonly escalationsErased: number;
};

/** Why a withdrawal could not be made; `code` is the protocol's. */
export class WithdrawalError extends Error {
  override readonly name = 'WithdrawalError';
  readonly code = 'not_found';
}

/**
 * Withdraws consent for one clip: erases, audits and reports, all in one unit of work, so an
 * erasure is never left half done or unrecorded. Withdrawing a clip again erases anything stored
 * for it since (nothing, as new ops for it are refused) and is audited again. A batch or clip
 * that does not exist is refused, and the refusal audited.
 */
export async function withdrawClip(core: Core, w: ClipWithdrawal): Promise<WithdrawalReport> {
  const at = core.now();
  const event = { at, actor: w.actor, source: w.source, action: 'admin.clips.withdraw', subject: w.clipId } as const;
  const report = await core.store.transaction(async (tx) => {
    const batch = await tx.batches.find(w.batchId);
    if (!batch || !(await tx.batches.withdrawClip(w.batchId, w.clipId))) {
      return undefined;
    }
    const erased = await tx.ops.eraseClip(w.batchId, w.clipId);
    // A gold use's scores are numbers, but they are still of this clip: they go too.
    await tx.gold.eraseScores(w.batchId, w.clipId);
    // A teammate's proposal for a span of the clip is words of it too.
    const proposalsErased = await tx.hearings.eraseClip(w.batchId, w.clipId);
    await tx.audit.append({
      ...event,
      outcome: 'ok',
      code: null,
      detail: {
        batchId: w.batchId,
        assignedTo: batch.assignedTo,
        annotationsErased: erased.annotations,
        escalationsErased: erased.escalations,
        proposalsErased,
      },
    });
    return {
      batchId: w.batchId,
      clipId: w.clipId,
      annotationsErased: erased.annotations,
      escalationsErased: erased.escalations,
    };
  });
  if (!report) {
    await core.store.audit.append({ ...event, outcome: 'refused', code: 'not_found', detail: { batchId: w.batchId } });
    throw new WithdrawalError(`Batch "${w.batchId}" has no clip "${w.clipId}".`);
  }
  // Erased rows can still sit in the write-ahead log as they were: empty it.
  await core.store.checkpoint();
  return report;
}
