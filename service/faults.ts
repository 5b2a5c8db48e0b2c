/**
 * Fault switches: the reference service misbehaves on purpose so the client's sender can be
 * tested against the failures real networks produce. Tests set them on the server object; an
 * operator sets them with `--fault` or POST /v1/admin/faults.
 */
import type { FaultRequest } from '../shared/sync/messages';
import type { FaultName } from '../shared/sync/protocol';

export type FaultState = {
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

const NONE: FaultState = { fault: 'none', delayMs: 0, retryAfterSeconds: 1, afterOps: 0, every: 2 };

export function createFaults() {
  let state = NONE;
  let uploads = 0;
  let tokenExpired = false;
  return {
    get: (): FaultState => state,
    /** Switches to a fault (or back to `none`); counters start again. */
    set: (r: FaultRequest): FaultState => {
      state = {
        fault: r.fault,
        delayMs: r.delayMs ?? NONE.delayMs,
        retryAfterSeconds: r.retryAfterSeconds ?? NONE.retryAfterSeconds,
        afterOps: r.afterOps ?? NONE.afterOps,
        every: r.every ?? NONE.every,
      };
      uploads = 0;
      tokenExpired = false;
      return state;
    },
    /** Counts an upload and says whether this one is a misbehaving one. */
    nextUploadMisbehaves: (): boolean => {
      uploads += 1;
      return uploads % state.every === 1 % state.every;
    },
    /** True once per switch: the session that crossed `afterOps` loses its token, then never again. */
    takeTokenExpiry: (opsStored: number): boolean => {
      if (state.fault !== 'expire_token' || tokenExpired || opsStored < state.afterOps) {
        return false;
      }
      tokenExpired = true;
      return true;
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;
