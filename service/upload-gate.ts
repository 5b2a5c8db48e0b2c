/**
 * Bounds the large uploads (results packages, up to 64 MiB each) twice. Each service process
 * has its own gate, which bounds its memory: a caller takes a slot for its session's account
 * before it reads a body and gives it back when done, and is turned away when every slot is
 * taken or the account already holds one here (so one account sending slowly cannot hold every
 * slot of a process, while other accounts' uploads go on). The gate also counts the
 * body bytes those uploads have read, so memory use can be checked by what was read rather than
 * by timing. Then, once an upload has read its whole body, it takes one of the slots the store
 * holds for every process on it (service/upload-leases.ts), which bound the decrypting and
 * storing the whole service does at once, however many processes run, and let each account hold
 * one at a time. A client sending slowly holds only its own process's slot.
 */
import { HttpError } from './http';
import type { ClaimRefusal, UploadLeases } from './upload-leases';

/** Two large uploads at a time per process; a third is answered 429 at once. */
export const MAX_LARGE_UPLOADS = 2;
/** What a turned-away upload is told to wait, in seconds. */
export const LARGE_UPLOAD_RETRY_AFTER_S = 30;

/** Why the gate turned an upload away: every slot taken, or the account already reading one here. */
export type GateRefusal = 'full' | 'account_busy';

export type UploadGate = {
  /**
   * A release function when a slot was free and `account` holds none (call it exactly once), or
   * why not.
   */
  tryAcquire(account: string): (() => void) | GateRefusal;
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
  /** The accounts whose large upload holds a slot now. */
  const accounts = new Set<string>();
  const listeners = new Set<(active: number) => void>();
  const changed = (): void => listeners.forEach((l) => l(active));
  return {
    tryAcquire(account) {
      if (accounts.has(account)) {
        return 'account_busy';
      }
      if (active >= max) {
        return 'full';
      }
      active += 1;
      accounts.add(account);
      changed();
      let released = false;
      return () => {
        if (!released) {
          released = true;
          active -= 1;
          accounts.delete(account);
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
const ACCOUNT_BUSY = 'This account is already uploading a results package; try again when it is done.';
const ALL_TAKEN = 'Too many results packages are being uploaded at once; try again shortly.';
const CLOSING = 'The service is shutting down; try again shortly.';

/**
 * Takes this process's slot for the session's `account` before a large upload reads its body;
 * answers 429 (with Retry-After) when every one is taken or the account already holds one.
 * Returns its release (call it once, on every path).
 */
export function admitToProcess(gate: UploadGate, account: string): () => void {
  const release = gate.tryAcquire(account);
  if (typeof release === 'function') {
    return release;
  }
  throw tooMany(release === 'account_busy' ? ACCOUNT_BUSY : ALL_TAKEN);
}

/**
 * Takes a store slot for `account` once a large upload has read its whole body, before it is
 * verified and decrypted; answers 429 (with Retry-After) when refused, or when the process has
 * begun shutting down (a slot taken meanwhile is given back at once). Returns the release, which
 * never throws; await it once on every path.
 */
export async function admitToStore(leases: UploadLeases, account: string): Promise<() => Promise<void>> {
  const claim = await leases.claim(account);
  if (claim.outcome === 'taken') {
    return claim.release;
  }
  const messages: Record<ClaimRefusal, string> = { account_busy: ACCOUNT_BUSY, full: ALL_TAKEN, closing: CLOSING };
  throw tooMany(messages[claim.outcome]);
}
