import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Percentiles and timing helpers for benchmarks: nearest-rank, on a sorted copy. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) {
    return Number.NaN;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** Milliseconds taken by `work`, on the monotonic clock. */
export function timeMs(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/**
 * The engine's full collection, reached by turning its `expose-gc` flag on at run time and taking
 * `gc` from a fresh context made after: as a command-line flag it would be passed on to the
 * import worker, whose threads refuse engine flags.
 */
let fullCollection: (() => void) | undefined;

/**
 * A full garbage collection before a timed section, so that it starts from a collected heap
 * rather than inheriting the garbage of whatever ran before it (a collection the setup owes
 * otherwise lands in the section it happens to fall in, on one side of a ratio and not the other).
 */
export function collectGarbage(): void {
  if (fullCollection === undefined) {
    setFlagsFromString('--expose-gc');
    fullCollection = runInNewContext('gc') as () => void;
  }
  fullCollection();
}
