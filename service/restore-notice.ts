/**
 * The restore notice: after an operator puts back an older copy of the store, they change the
 * service's epoch. Every workstation sees the new epoch at its next sync and resends what it
 * still holds that the service lacks, whatever the figures say.
 */
import { appendAudit } from './audit';
import type { Core } from './core';
import type { Actor } from './devices';

/** Changes the epoch and records who did it, in one unit of work; returns the new epoch. */
export async function announceRestore(core: Core, by: Actor): Promise<{ epoch: string; previous: string }> {
  const now = core.now();
  return core.store.transaction(async (tx) => {
    const previous = await tx.syncState.epoch();
    const epoch = await tx.syncState.changeEpoch(now, by.operator);
    await appendAudit(tx, {
      at: now,
      actor: by.operator,
      source: by.source,
      action: 'admin.restore_notice',
      detail: { previousEpoch: previous, epoch },
    });
    return { epoch, previous };
  });
}
