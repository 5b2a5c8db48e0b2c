/**
 * This process's leases on the store-wide slots for large uploads
 * (service/store/upload-slot-repository.ts). A lease is short and renewed while its upload
 * works, so a slot outlives a process that died holding it by one lease at most; the renewals
 * stop when the slot is given back or found lost, and a graceful shutdown gives back every slot
 * still held, and any taken while it does, before the store is closed. Giving a slot back never
 * fails the upload it served: a lease found lapsed (counted once, where it was first found), or a
 * store that cannot be reached, is logged, and the answer stands.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceLog } from './service-log';
import type { UploadSlotOutcome, UploadSlotRepository } from './store/upload-slot-repository';

/** Two large uploads at a time across every process on one store; one more is answered 429 at once. */
export const MAX_STORE_LARGE_UPLOADS = 2;
/**
 * How long a store slot is held unless renewed: how long a slot stays taken after the process
 * holding it died (or lost the store) before another may take it.
 */
export const LARGE_UPLOAD_LEASE_MS = 60_000;
/** How often a held lease is renewed: three times a lease, so one late or failed renewal loses nothing. */
export const LARGE_UPLOAD_RENEW_MS = 20_000;

/** Where a lease was found lapsed and taken by another. */
export type LeaseLostAt = 'renew' | 'release';

/** Why no slot was taken: those the store gives, or `closing` once the process shuts down. */
export type ClaimRefusal = Exclude<UploadSlotOutcome, 'taken'> | 'closing';

export type UploadLeases = {
  /**
   * Takes a store slot for `account`, renewed until given back. `release` (with `taken`) gives
   * it back; await it once, it never throws.
   */
  claim(account: string): Promise<{ outcome: 'taken'; release: () => Promise<void> } | { outcome: ClaimRefusal }>;
  /** Slots this process holds now. */
  readonly held: number;
  /**
   * Gives back every slot this process holds (a graceful shutdown, before the store closes), and
   * waits for the claims under way: from now on a claim gives back at once what it took and
   * answers `closing`.
   */
  releaseAll(): Promise<void>;
};

export function createUploadLeases(o: {
  readonly slots: UploadSlotRepository;
  readonly now: () => number;
  readonly log?: ServiceLog | undefined;
  /** Counts a lease found lapsed and taken. */
  readonly lost: (at: LeaseLostAt) => void;
}): UploadLeases {
  /** Each slot held, by holder: its renewal timer, and whether a renewal found it lost. */
  const held = new Map<string, { timer: NodeJS.Timeout; lost: boolean }>();
  /** Claims under way, which a shutdown waits for. */
  const claiming = new Set<Promise<unknown>>();
  let closing = false;
  const failed = (step: string, error: unknown): void =>
    o.log?.event('upload_slot_error', { step, error: error instanceof Error ? error.name : typeof error });
  const lost = (at: LeaseLostAt): void => {
    o.log?.event('upload_slot_lost', { at });
    o.lost(at);
  };
  const renew = async (holder: string): Promise<void> => {
    try {
      const renewed = await o.slots.renew({ holder, now: o.now(), leaseMs: LARGE_UPLOAD_LEASE_MS });
      const entry = held.get(holder);
      // Given back meanwhile is not lost, and a loss is counted once: the row is gone for good.
      if (!renewed && entry && !entry.lost) {
        entry.lost = true;
        clearInterval(entry.timer);
        lost('renew');
      }
    } catch (error) {
      failed('renew', error);
    }
  };
  const giveBack = async (holder: string): Promise<void> => {
    const entry = held.get(holder);
    if (!entry) {
      return;
    }
    clearInterval(entry.timer);
    held.delete(holder);
    if (entry.lost) {
      return;
    }
    try {
      if (!(await o.slots.release(holder))) {
        lost('release');
      }
    } catch (error) {
      failed('release', error);
    }
  };
  /** Takes a slot as `holder`; held (and renewed) from the moment it is taken, unless closing. */
  const acquire = async (holder: string, account: string): Promise<UploadSlotOutcome | 'closing'> => {
    const outcome = await o.slots.acquire({
      holder,
      account,
      slots: MAX_STORE_LARGE_UPLOADS,
      now: o.now(),
      leaseMs: LARGE_UPLOAD_LEASE_MS,
    });
    if (outcome !== 'taken') {
      return outcome;
    }
    if (!closing) {
      const timer = setInterval(() => void renew(holder), LARGE_UPLOAD_RENEW_MS);
      // A renewal never keeps the process alive.
      timer.unref();
      held.set(holder, { timer, lost: false });
      return outcome;
    }
    // Taken while the process shuts down: given back before the store closes, never renewed.
    try {
      await o.slots.release(holder);
    } catch (error) {
      failed('release', error);
    }
    return 'closing';
  };
  return {
    async claim(account) {
      if (closing) {
        return { outcome: 'closing' };
      }
      const holder = randomUUID();
      const claimed = acquire(holder, account);
      claiming.add(claimed);
      const outcome = await claimed.finally(() => claiming.delete(claimed));
      return outcome === 'taken' ? { outcome, release: () => giveBack(holder) } : { outcome };
    },
    get held() {
      return held.size;
    },
    async releaseAll() {
      closing = true;
      await Promise.all([...held.keys()].map(giveBack));
      await Promise.allSettled([...claiming]);
    },
  };
}
