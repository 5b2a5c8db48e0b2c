/**
 * The numbers behind the report's charts, kept apart from drawing so they can be checked: clips
 * per time bucket since each shift's start, a handle-time histogram, the disposition mix, and
 * where breaks and escalations fall in each shift.
 */
import { dispositions, type Disposition } from '../../shared/domain/annotation';
import type { ShiftReport } from '../../shared/domain/timing';

const MINUTE = 60_000;
/** Bucket widths the throughput chart picks from, smallest first. */
const BUCKETS_MIN = [5, 10, 15, 30, 60, 120] as const;
/** Histogram bin widths, in seconds. */
const BINS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600] as const;

export type Bar = { readonly from: number; readonly to: number; readonly count: number };

/** A round number at or above `n` to end an axis at (1, 2, 5 × 10^k). */
export function niceMax(n: number): number {
  if (n <= 1) {
    return 1;
  }
  const p = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].find((m) => m * p >= n) ?? 10) * p;
}

const end = (s: ShiftReport['summaries'][number], at: number): number =>
  s.shift.endedAt ?? Math.max(at, s.shift.startedAt);

/**
 * Clips done per bucket of time since the shift started, all chosen shifts added up; each
 * clip counts once per shift, at its first submit. Buckets are minutes wide (`from`/`to` in minutes).
 */
export function throughput(
  report: ShiftReport,
  maxBuckets = 24,
): { readonly bucketMinutes: number; readonly bars: readonly Bar[] } {
  const longest = Math.max(MINUTE, ...report.summaries.map((s) => end(s, report.generatedAt) - s.shift.startedAt));
  const bucketMinutes = BUCKETS_MIN.find((m) => Math.ceil(longest / (m * MINUTE)) <= maxBuckets) ?? 120;
  const counts = new Array<number>(Math.ceil(longest / (bucketMinutes * MINUTE))).fill(0);
  const starts = new Map(report.summaries.map((s) => [s.shift.id, s.shift.startedAt]));
  const seen = new Set<string>();
  for (const c of report.clips) {
    const start = c.shiftId === null ? undefined : starts.get(c.shiftId);
    const key = `${c.shiftId ?? ''}/${c.batchId}/${c.clipId}`;
    if (start === undefined || seen.has(key)) {
      continue;
    }
    seen.add(key);
    const i = Math.min(counts.length - 1, Math.max(0, Math.floor((c.submittedAt - start) / (bucketMinutes * MINUTE))));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return {
    bucketMinutes,
    bars: counts.map((count, i) => ({ from: i * bucketMinutes, to: (i + 1) * bucketMinutes, count })),
  };
}

/** Handle times in seconds, binned from 0 in round widths (`from`/`to` in seconds). */
export function handleHistogram(report: ShiftReport, maxBins = 12): readonly Bar[] {
  const seconds = report.clips.map((c) => c.handleMs / 1_000);
  if (seconds.length === 0) {
    return [];
  }
  const top = Math.max(...seconds);
  const width = BINS_S.find((w) => Math.floor(top / w) + 1 <= maxBins) ?? 600;
  const bins = new Array<number>(Math.floor(top / width) + 1).fill(0);
  for (const s of seconds) {
    const i = Math.floor(s / width);
    bins[i] = (bins[i] ?? 0) + 1;
  }
  return bins.map((count, i) => ({ from: i * width, to: (i + 1) * width, count }));
}

/** How many clips ended with each disposition (each clip's latest revision in the report). */
export function dispositionMix(
  report: ShiftReport,
): readonly { readonly disposition: Disposition; readonly count: number }[] {
  const latest = new Map<string, { revision: number; disposition: Disposition }>();
  for (const c of report.clips) {
    const key = `${c.batchId}/${c.clipId}`;
    if ((latest.get(key)?.revision ?? 0) < c.revision) {
      latest.set(key, { revision: c.revision, disposition: c.disposition });
    }
  }
  const values = [...latest.values()];
  return dispositions.map((d) => ({ disposition: d, count: values.filter((v) => v.disposition === d).length }));
}

export type ShiftMarks = {
  readonly shiftId: string;
  readonly pseudonym: string;
  readonly startedAt: number;
  readonly durationMs: number;
  /** Offsets from the shift start, in ms. */
  readonly breaks: readonly { readonly from: number; readonly to: number; readonly suggested: boolean }[];
  readonly escalations: readonly number[];
};

/** Where each shift's breaks (declined suggestions left out) and escalations fall. */
export function shiftMarks(report: ShiftReport): readonly ShiftMarks[] {
  return report.summaries.map((s) => {
    const start = s.shift.startedAt;
    const stop = end(s, report.generatedAt);
    return {
      shiftId: s.shift.id,
      pseudonym: s.shift.pseudonym,
      startedAt: start,
      durationMs: stop - start,
      breaks: report.breaks
        .filter((b) => b.shiftId === s.shift.id && !b.skipped)
        .map((b) => ({
          from: b.startedAt - start,
          to: (b.endedAt ?? stop) - start,
          suggested: b.trigger !== 'manual',
        })),
      escalations: report.escalations.filter((e) => e.shiftId === s.shift.id).map((e) => e.at - start),
    };
  });
}
