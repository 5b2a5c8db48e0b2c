import type { BatchSummary } from '../../../shared/domain/batch';
import type { ImportProgress } from '../../../shared/domain/import';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { AppError } from '../../../shared/result';
import type { SliceCreator } from '../types';

export type BatchesSlice = {
  readonly batches: {
    readonly items: readonly BatchSummary[];
    readonly loaded: boolean;
    readonly error: AppError | null;
    load: () => Promise<void>;
    /** Imports main reported, the latest report of each, in the order they started. */
    readonly imports: readonly ImportProgress[];
    /** Replaces the list with what main pushed. */
    received: (items: readonly BatchSummary[]) => void;
    /** Takes an `imports:changed` report: a new import, or news of one already shown. */
    importChanged: (progress: ImportProgress) => void;
  };
};

export const createBatchesSlice =
  (api: ReviewerApi): SliceCreator<BatchesSlice> =>
  (set) => ({
    batches: {
      items: [],
      loaded: false,
      error: null,
      imports: [],
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
      importChanged(progress) {
        set((s) => {
          const known = s.batches.imports.some((p) => p.importId === progress.importId);
          const imports = known
            ? s.batches.imports.map((p) => (p.importId === progress.importId ? progress : p))
            : [...s.batches.imports, progress];
          return { batches: { ...s.batches, imports } };
        });
      },
    },
  });
