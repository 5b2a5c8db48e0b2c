/**
 * The store-wide slots for large uploads (results packages): a few numbered leases every service
 * process on the store shares, so the number of packages being decrypted and stored at once holds
 * for the whole service, however many processes run. Each lease names a random holder (one
 * upload in one process), the account it uploads for, and when it lapses. A live holder renews
 * its lease while it works; one that dies stops renewing, and its slot is free once the lease
 * has lapsed. SQLite (one host) judges expiry by the service clock it is given; PostgreSQL,
 * shared by processes on several hosts whose clocks may differ, by its own clock alone.
 */

/** What a caller asks for: a slot among `slots`, held by `holder` for `account` for `leaseMs`. */
export type UploadSlotClaim = {
  /** Random and unique to this upload; the only name that renews or gives the slot back. */
  readonly holder: string;
  readonly account: string;
  /** The store-wide number of slots (numbered 0 to `slots - 1`). */
  readonly slots: number;
  /**
   * The service clock now, which SQLite judges leases by: a lease whose expiry is at or before it
   * counts as free. PostgreSQL ignores it and reads `clock_timestamp()` instead.
   */
  readonly now: number;
  /** How long the lease runs from now (by the same clock) unless renewed. */
  readonly leaseMs: number;
};

/** A holder extending its own lease to `leaseMs` from now (by the clock a claim is judged by). */
export type UploadSlotRenewal = {
  readonly holder: string;
  readonly now: number;
  readonly leaseMs: number;
};

/**
 * `taken`: the slot is the holder's; `full`: every slot is held; `account_busy`: this account
 * already holds one (one large upload per account at a time).
 */
export type UploadSlotOutcome = 'taken' | 'full' | 'account_busy';

/**
 * Which slot a claim gets among the leases still held (expired ones already dropped): the lowest
 * free one, or why none: the account holds one already, or every slot is held.
 */
export function freeSlotFor(
  held: readonly { readonly slot: number; readonly account: string }[],
  c: Pick<UploadSlotClaim, 'account' | 'slots'>,
): number | Exclude<UploadSlotOutcome, 'taken'> {
  if (held.some((r) => r.account === c.account)) {
    return 'account_busy';
  }
  const taken = new Set(held.map((r) => r.slot));
  return Array.from({ length: c.slots }, (_, i) => i).find((i) => !taken.has(i)) ?? 'full';
}

/** One lease as held. */
export type UploadSlotLease = {
  readonly slot: number;
  readonly holder: string;
  readonly account: string;
  /** Milliseconds since the epoch, by the clock the store judges leases by. */
  readonly expiresAt: number;
};

export type UploadSlotRepository = {
  /**
   * Takes the lowest free slot for `c.holder`, atomically across every process on the store:
   * leases expired now are dropped first, then the claim is refused when `c.account` holds a
   * slot or all `c.slots` are held.
   */
  acquire(c: UploadSlotClaim): Promise<UploadSlotOutcome>;
  /**
   * Extends `r.holder`'s lease, and no one else's; false when it holds none (it lapsed and a
   * claim dropped it). A lease that lapsed but that no claim has dropped yet is still no one
   * else's, and is renewed.
   */
  renew(r: UploadSlotRenewal): Promise<boolean>;
  /** Gives back `holder`'s slot, and no one else's; false when it held none (or it lapsed and was taken). */
  release(holder: string): Promise<boolean>;
  /** The leases held, expired or not, lowest slot first. */
  list(): Promise<UploadSlotLease[]>;
};
