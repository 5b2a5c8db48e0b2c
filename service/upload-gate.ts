/**
 * Bounds the large uploads one service process handles at a time (results packages, up to
 * 64 MiB each): a caller takes a slot before it reads a body and gives it back when done, and
 * is turned away when every slot is taken. It also counts the body bytes those uploads have
 * read, so memory use can be checked by what was read rather than by timing.
 */

/** Two large uploads at a time per process; a third is answered 429 at once. */
export const MAX_LARGE_UPLOADS = 2;
/** What a turned-away upload is told to wait, in seconds. */
export const LARGE_UPLOAD_RETRY_AFTER_S = 30;

export type UploadGate = {
  /** A release function when a slot was free (call it exactly once), undefined when all are taken. */
  tryAcquire(): (() => void) | undefined;
  /** Slots taken now. */
  readonly active: number;
  /** Body bytes read by large uploads since the process started. */
  readonly bytesRead: number;
  /** Counts `n` body bytes read. */
  countRead(n: number): void;
  /** Calls `listener` whenever a slot is taken or given back; returns its unsubscribe. */
  onChange(listener: (active: number) => void): () => void;
};

export function createUploadGate(max = MAX_LARGE_UPLOADS): UploadGate {
  let active = 0;
  let bytesRead = 0;
  const listeners = new Set<(active: number) => void>();
  const changed = (): void => listeners.forEach((l) => l(active));
  return {
    tryAcquire() {
      if (active >= max) {
        return undefined;
      }
      active += 1;
      changed();
      let released = false;
      return () => {
        if (!released) {
          released = true;
          active -= 1;
          changed();
        }
      };
    },
    get active() {
      return active;
    },
    get bytesRead() {
      return bytesRead;
    },
    countRead(n) {
      bytesRead += n;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
