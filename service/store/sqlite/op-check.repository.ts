/**
 * The facts an incoming op is checked against, in SQLite: read through the batch and checkout
 * repositories on the one connection, in the same synchronous call (no round trips to save).
 */
import type { BatchRepository, CheckoutRepository, OpCheckRepository } from '../repositories';
import type { Sync } from './unit-of-work';

export function sqliteOpCheckRepository(r: {
  readonly batches: Sync<BatchRepository>;
  readonly checkouts: Sync<CheckoutRepository>;
}): Sync<OpCheckRepository> {
  return {
    facts({ account, keyId, batchId, clipId }) {
      const hasClip = clipId !== undefined && r.batches.hasClip(batchId, clipId);
      return {
        assignedTo: r.batches.find(batchId)?.assignedTo ?? null,
        hasClip,
        withdrawn: hasClip && r.batches.isWithdrawn(batchId, clipId),
        releasedFromDevice: (r.checkouts.find(account, keyId, batchId)?.releasedAt ?? null) !== null,
        holderKeyId: r.checkouts.holder(batchId)?.keyId ?? null,
      };
    },
  };
}
