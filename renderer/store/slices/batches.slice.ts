import type { BatchSummary } from '../../../shared/domain/batch';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { AppError } from '../../../shared/result';
import type { SliceCreator } from '../types';

export type BatchesSlice = {
  readonly batches: {
    readonly items: readonly BatchSummary[];
    readonly loaded: boolean;
    readonly error: AppError | null;
    load: () => Promise<void>;
    /** Replaces the list with what main pushed. */
    received: (items: readonly BatchSummary[]) => void;
  };
};

export const createBatchesSlice =
  (api: ReviewerApi): SliceCreator<BatchesSlice> =>
  (set) => ({
    batches: {
      items: [],
      loaded: false,
      error: null,
      async load() {
        const result = await api.batches.list();
        set((s) => ({
          batches: result.ok
            ? { ...s.batches, items: result.value, loaded: true, error: null }
            : { ...s.batches, loaded: true, error: result.error },
        }));
      },
      received(items) {
        set((s) => ({ batches: { ...s.batches, items, loaded: true, error: null } }));
      },
    },
  });
