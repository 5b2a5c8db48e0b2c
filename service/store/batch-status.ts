/** What a batch's row says about it at a given moment. */
import type { BatchStatus } from '../../shared/domain/batch';
import type { ServiceBatch } from './repositories';

/** A batch's status at `now`: revoked wins over expired. */
export function batchStatusAt(b: ServiceBatch, now: number): BatchStatus {
  if (b.revokedAt !== null) {
    return 'revoked';
  }
  return b.expiresAt <= now ? 'expired' : 'active';
}
