/**
 * The store-wide slots for large uploads (results packages): a few numbered leases every service
 * process on the store shares, so the number of packages being read and decrypted at once holds
 * for the whole service, however many processes run. Each lease names a random holder (one
 * upload in one process), the account it uploads for, and when it lapses: a process that dies
 * holding one never gives it back, so it is free again once its expiry has passed.
 */

/** What a caller asks for: a slot among `slots`, held by `holder` for `account` until `expiresAt`. */
export type UploadSlotClaim = {
  /** Random and unique to this upload; the only name that gives the slot back. */
  readonly holder: string;
  readonly account: string;
  /** The store-wide number of slots (numbered 0 to `slots - 1`). */
  readonly slots: number;
  /** The service clock now: a lease whose expiry is at or before it counts as free. */
  readonly now: number;
  readonly expiresAt: number;
};

/**
 * `taken`: the slot is the holder's; `full`: every slot is held; `account_busy`: this account
 * already holds one (one large upload per account at a time).
 */
export type UploadSlotOutcome = 'taken' | 'full' | 'account_busy';

/** One lease as held. */
export type UploadSlotLease = {
  readonly slot: number;
  readonly holder: string;
  readonly account: string;
  readonly expiresAt: number;
};

export type UploadSlotRepository = {
  /**
   * Takes the lowest free slot for `c.holder`, atomically across every process on the store:
   * leases expired at `c.now` are dropped first, then the claim is refused when `c.account`
   * holds a slot or all `c.slots` are held.
   */
  acquire(c: UploadSlotClaim): Promise<UploadSlotOutcome>;
  /** Gives back `holder`'s slot, and no one else's; false when it held none (or it lapsed and was taken). */
  release(holder: string): Promise<boolean>;
  /** The leases held, expired or not, lowest slot first. */
  list(): Promise<UploadSlotLease[]>;
};
