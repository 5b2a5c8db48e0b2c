/**
 * Exponential backoff with jitter for the sync sender. The ceiling doubles per failure in a row
 * up to `maxMs`; each wait is drawn from the upper half of it ("equal jitter"), so a fleet of
 * workstations that lost the service together does not come back in lockstep, yet no wait
 * collapses to zero.
 */
export type BackoffOptions = {
  /** The first ceiling. */
  readonly baseMs?: number;
  /** The largest ceiling. */
  readonly maxMs?: number;
  /** In [0, 1); tests pass their own. */
  readonly random?: () => number;
};

export const DEFAULT_BACKOFF_BASE_MS = 1_000;
const DEFAULT_BACKOFF_MAX_MS = 5 * 60_000;

/** The wait after `failures` failures in a row before this one, for a `jitter` in [0, 1). */
export function backoffWait(failures: number, o: BackoffOptions, jitter: number): number {
  const base = o.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const max = o.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
  const ceiling = Math.min(max, base * 2 ** Math.min(failures, 30));
  return Math.round(ceiling / 2 + jitter * (ceiling / 2));
}

export function createBackoff(o: BackoffOptions = {}) {
  const random = o.random ?? Math.random;
  let failures = 0;
  return {
    /** The wait before the next try, counting one more failure. */
    next(): number {
      const wait = backoffWait(failures, o, random());
      failures += 1;
      return wait;
    },
    /** A success: the next failure starts from the base again. */
    reset(): void {
      failures = 0;
    },
    get failures(): number {
      return failures;
    },
  };
}

export type Backoff = ReturnType<typeof createBackoff>;
