/**
 * Exponential backoff with jitter for the sync sender. The ceiling doubles per failure up to
 * `maxMs`; each wait is drawn from the upper half of it ("equal jitter"), so a fleet of
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

export function createBackoff(o: BackoffOptions = {}) {
  const base = o.baseMs ?? 1_000;
  const max = o.maxMs ?? 5 * 60_000;
  const random = o.random ?? Math.random;
  let failures = 0;
  return {
    /** The wait before the next try, counting one more failure. */
    next(): number {
      const ceiling = Math.min(max, base * 2 ** Math.min(failures, 30));
      failures += 1;
      return Math.round(ceiling / 2 + random() * (ceiling / 2));
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
