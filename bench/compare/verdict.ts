/**
 * Per figure, the two sides of a comparison: each side's median and spread over its rounds, the
 * ratio HEAD/REF, and whether the difference stands out of the noise. The noise band is each
 * side's interquartile range (nearest rank, so with three rounds or fewer it is the whole range):
 * a difference counts only when the two bands do not overlap.
 */
import { percentile } from '../stats';

/** Which way a figure improves; an input (a clip count, a package size) should simply match. */
export type Better = 'higher' | 'lower' | 'input';

export type Verdict = 'within noise' | 'better' | 'worse' | 'floor moved' | 'same input' | 'input differs' | 'missing';

export type Side = {
  readonly values: readonly number[];
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
};

export type FigureComparison = {
  readonly name: string;
  readonly better: Better;
  readonly head: Side | undefined;
  readonly ref: Side | undefined;
  /** HEAD median ÷ REF median; undefined when a side is missing. */
  readonly ratio: number | undefined;
  readonly verdict: Verdict;
};

/** What the benchmark was given rather than what it measured. */
const INPUTS = new Set(['clips', 'mean_clip_s', 'package_mb', 'sync_annotations', 'renderer_clips']);
/** Ratios where less is better (growth); the other ratios are closeness to a floor. */
const LOWER_RATIOS = new Set(['renderer_heap_ratio']);

/**
 * A floor measured beside a figure (…_floor_…, the bare pages' …_bare_…): it tells how fast the
 * machine was, not how good the app is, so its moving says the two sides ran on unequal terms.
 */
export const isFloor = (name: string): boolean => /_floor_|_bare_/.test(name);

/**
 * Throughputs (…_mb_s, …_annotations_s) and closeness-to-floor ratios are better higher; inputs
 * should match; every other figure is a cost (milliseconds, bytes, heap, nodes, calls).
 */
export function betterDirection(name: string): Better {
  if (INPUTS.has(name)) {
    return 'input';
  }
  if (name.endsWith('_ratio')) {
    return LOWER_RATIOS.has(name) ? 'lower' : 'higher';
  }
  if (name.endsWith('_mb_s') || name.endsWith('_annotations_s')) {
    return 'higher';
  }
  return 'lower';
}

/** The conventional median: the mean of the middle two for an even count. */
function middle(sorted: readonly number[]): number {
  const mid = sorted.length / 2;
  return sorted.length % 2 === 1
    ? (sorted[Math.floor(mid)] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function describeSide(values: readonly number[]): Side | undefined {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) {
    return undefined;
  }
  const sorted = [...finite].sort((a, b) => a - b);
  return { values: finite, median: middle(sorted), q1: percentile(sorted, 25), q3: percentile(sorted, 75) };
}

export function ratioOf(head: number, ref: number): number {
  if (ref === 0) {
    return head === 0 ? 1 : Number.POSITIVE_INFINITY;
  }
  return head / ref;
}

export function classify(better: Better, head: Side | undefined, ref: Side | undefined, floor = false): Verdict {
  if (!head || !ref) {
    return 'missing';
  }
  if (better === 'input') {
    return head.median === ref.median ? 'same input' : 'input differs';
  }
  const overlap = head.q1 <= ref.q3 && ref.q1 <= head.q3;
  if (overlap || head.median === ref.median) {
    return 'within noise';
  }
  if (floor) {
    return 'floor moved';
  }
  const headHigher = head.median > ref.median;
  return headHigher === (better === 'higher') ? 'better' : 'worse';
}

/** Every figure either side produced, in the order HEAD lists them, then REF's own extras. */
export function compareFigures(
  headRuns: readonly Readonly<Record<string, number>>[],
  refRuns: readonly Readonly<Record<string, number>>[],
): FigureComparison[] {
  const names = [...new Set([...headRuns, ...refRuns].flatMap((run) => Object.keys(run)))];
  return names.map((name) => {
    const pick = (runs: readonly Readonly<Record<string, number>>[]): Side | undefined =>
      describeSide(runs.flatMap((run) => (name in run ? [run[name] as number] : [])));
    const head = pick(headRuns);
    const ref = pick(refRuns);
    const better = betterDirection(name);
    return {
      name,
      better,
      head,
      ref,
      ratio: head && ref ? ratioOf(head.median, ref.median) : undefined,
      verdict: classify(better, head, ref, isFloor(name)),
    };
  });
}
