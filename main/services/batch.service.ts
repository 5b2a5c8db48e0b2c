import type { BatchSummary } from '../../shared/domain/batch';
import type { BatchRepository } from '../db/repositories/batch.repository';
import { ServiceError } from './service-error';

/** The batches on this workstation. Importing and expiring them arrive with the vault. */
export function createBatchService(batches: BatchRepository) {
  return {
    list: (): readonly BatchSummary[] => batches.list(),
    get: (batchId: string): BatchSummary => {
      const found = batches.find(batchId);
      if (!found) {
        throw new ServiceError('NOT_FOUND', `No batch "${batchId}" on this workstation.`);
      }
      return found;
    },
  };
}

export type BatchService = ReturnType<typeof createBatchService>;
