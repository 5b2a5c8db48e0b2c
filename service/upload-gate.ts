/**
 * Bounds the large uploads (results packages, up to 64 MiB each) twice. Each service process
 * has its own gate, which bounds its memory: a caller takes a slot before it reads a body and
 * gives it back when done, and is turned away when every slot is taken. The gate also counts the
 * body bytes those uploads have read, so memory use can be checked by what was read rather than
 * by timing. Then the store holds slots every process on it shares
 * (service/store/upload-slot-repository.ts), which bound the decrypting and verifying the whole
 * service does at once, however many processes run, and let each account hold one at a time.
 */
import { randomUUID } from 'node:crypto';
import { HttpError } from './http';
import { REQUEST_TIMEOUT_MS } from './lifecycle';
import type { UploadSlotRepository } from './store/upload-slot-repository';

/** Two large uploads at a time per process; a third is answered 429 at once. */
export const MAX_LARGE_UPLOADS = 2;
/** Two large uploads at a time across every process on one store; one more is answered 429 at once. */
export const MAX_STORE_LARGE_UPLOADS = 2;
/**
 * How long a store slot is held at most: a process that dies while it holds one never gives it
 * back, and the slot is free again once this has passed. Well above the longest an upload runs
 * (its body within the request timeout, then decrypting and storing), so a live upload keeps its
 * slot.
 */
export const LARGE_UPLOAD_LEASE_MS = 3 * REQUEST_TIMEOUT_MS;
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

const tooMany = (message: string): HttpError =>
  new HttpError(429, 'rate_limited', message, { 'retry-after': String(LARGE_UPLOAD_RETRY_AFTER_S) });

/**
 * Takes this process's slot, then a store slot for `account`, before a large upload reads its
 * body; answers 429 (with Retry-After) when either is refused, holding nothing then. Returns the
 * release, which gives back both (the store's first) and must be awaited once on every path.
 */
export async function admitLargeUpload(
  o: { gate: UploadGate; slots: UploadSlotRepository; now: () => number },
  account: string,
): Promise<() => Promise<void>> {
  const releaseProcess = o.gate.tryAcquire();
  if (!releaseProcess) {
    throw tooMany('Too many results packages are being uploaded at once; try again shortly.');
  }
  const holder = randomUUID();
  const now = o.now();
  const outcome = await o.slots
    .acquire({ holder, account, slots: MAX_STORE_LARGE_UPLOADS, now, expiresAt: now + LARGE_UPLOAD_LEASE_MS })
    .catch((error: unknown) => {
      releaseProcess();
      throw error;
    });
  if (outcome !== 'taken') {
    releaseProcess();
    throw tooMany(
      outcome === 'account_busy'
        ? 'This account is already uploading a results package; try again when it is done.'
        : 'Too many results packages are being uploaded at once; try again shortly.',
    );
  }
  return async () => {
    try {
      await o.slots.release(holder);
    } finally {
      releaseProcess();
    }
  };
}
