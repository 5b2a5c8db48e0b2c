/**
 * The workstation lock. Locked, the app holds no decrypted clip, no batch key and no annotation
 * key in memory, and shows only the unlock screen; saved work is untouched.
 */

/**
 * Why the app locked: no input for the idle time, the OS locked the screen or went to sleep, the
 * reviewer asked, or the app started again while an unlock secret was set.
 */
export const lockReasons = ['idle', 'os_lock', 'suspend', 'manual', 'restart'] as const;
export type LockReason = (typeof lockReasons)[number];

/** What unlocks it: the service password (of the last sign-in), a PIN the reviewer set, or a click in demo mode. */
export const unlockMethods = ['password', 'pin', 'none'] as const;
export type UnlockMethod = (typeof unlockMethods)[number];

export type LockState = {
  readonly locked: boolean;
  readonly reason: LockReason | null;
  /** Every secret the unlock screen may ask for; `none` only when neither exists. */
  readonly methods: readonly UnlockMethod[];
  /** After too many wrong tries, when the next try is accepted (ms since the epoch); null otherwise. */
  readonly retryAt: number | null;
};

/** A PIN is 4 to 12 digits. */
export const PIN_PATTERN = /^[0-9]{4,12}$/;
