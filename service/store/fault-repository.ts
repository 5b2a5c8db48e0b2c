/**
 * The fault switch as the store keeps it (service/faults.ts plays it): one row, so every service
 * process on the same store misbehaves the same way and counts the same uploads.
 */
import type { FaultName } from '../../shared/sync/protocol';

export type FaultSwitch = {
  readonly fault: FaultName;
  /** `delay`: how long each request waits. */
  readonly delayMs: number;
  /** `rate_limit`: the Retry-After value, in seconds. */
  readonly retryAfterSeconds: number;
  /** `expire_token`: how many ops a session may store before its token expires. */
  readonly afterOps: number;
  /** `error_after_commit`, `drop_after_commit`, `rate_limit`: one upload in `every` misbehaves. */
  readonly every: number;
};

/** The switch before anyone set one. */
export const NO_FAULT: FaultSwitch = { fault: 'none', delayMs: 0, retryAfterSeconds: 1, afterOps: 0, every: 2 };

export type FaultRepository = {
  /** The switch in force ({@link NO_FAULT} until one is set). */
  get(): Promise<FaultSwitch>;
  /** Sets the switch; its upload count starts again at 0 and its token expiry is not yet taken. */
  set(s: FaultSwitch): Promise<void>;
  /**
   * Counts one upload, by one conditional update, and returns the count with this one included
   * and the `every` in force, so uploads racing in several processes each get a number of their own.
   */
  countUpload(): Promise<{ readonly uploads: number; readonly every: number }>;
  /**
   * Under `expire_token`, takes the token expiry for a session that has stored `opsStored` ops:
   * true once per switch, for the first caller at or above `afterOps` (one conditional update).
   */
  takeTokenExpiry(opsStored: number): Promise<boolean>;
};
