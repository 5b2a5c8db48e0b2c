/**
 * The saved work of the next clips, fetched ahead of the reviewer. Each entry is taken once: the
 * clip that opens takes its work, and work for clips no longer ahead is dropped. Work that has
 * already arrived can be taken at once, without waiting on a promise.
 */
import type { ClipWork } from '../../shared/domain/annotation';
import type { ClipRef } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';

type Fetch = (ref: ClipRef) => Promise<Result<ClipWork>>;

export function createWorkAhead(fetchWork: Fetch) {
  const fetching = new Map<string, Promise<Result<ClipWork>>>();
  const arrived = new Map<string, Result<ClipWork>>();

  const forget = (clipId: string): void => {
    fetching.delete(clipId);
    arrived.delete(clipId);
  };

  return {
    /** Keeps the work of exactly these clips, fetching what is missing and dropping the rest. */
    keepOnly(refs: readonly ClipRef[]): void {
      for (const clipId of [...fetching.keys()]) {
        if (!refs.some((r) => r.clipId === clipId)) {
          forget(clipId);
        }
      }
      for (const ref of refs) {
        if (!fetching.has(ref.clipId)) {
          const work = fetchWork(ref);
          fetching.set(ref.clipId, work);
          void work.then((result) => {
            if (fetching.get(ref.clipId) === work) {
              arrived.set(ref.clipId, result);
            }
          });
        }
      }
    },

    /** The clip's work: fetched ahead, or fetched now. */
    take(ref: ClipRef): Promise<Result<ClipWork>> {
      const ahead = fetching.get(ref.clipId);
      forget(ref.clipId);
      return ahead ?? fetchWork(ref);
    },

    /** The clip's work if it has already arrived (still held: `forget` takes it); null otherwise. */
    peek(ref: ClipRef): Result<ClipWork> | null {
      return arrived.get(ref.clipId) ?? null;
    },

    forget,

    clear(): void {
      fetching.clear();
      arrived.clear();
    },
  };
}
