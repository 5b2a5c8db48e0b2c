/**
 * The numbers behind the accuracy-against-speed chart: for each reviewer in a report, clips per
 * hour over all their chosen shifts and their gold figures pooled over the same shifts
 * (docs/gold-clips.md). Kept apart from drawing so they can be checked.
 */
import type { GoldFigures } from '../../shared/domain/gold';
import type { ShiftReport } from '../../shared/domain/timing';
import { poolGoldFigures } from '../../shared/timing/gold-figures';

const HOUR = 3_600_000;
/** Under a minute of work a rate says nothing (as shift summaries rule). */
const MIN_WORK_MS = 60_000;

/** One reviewer's point: speed on one axis, gold word error rate on the other. */
export type AccuracyPoint = {
  readonly reviewer: string;
  readonly shifts: number;
  readonly clipsDone: number;
  /** Clips done per hour of work time over the reviewer's shifts; null under a minute of work. */
  readonly clipsPerHour: number | null;
  readonly gold: GoldFigures;
};

/** One point per reviewer of the report, by pseudonym; a shift with no gold entry adds no gold clips. */
export function accuracyPoints(report: ShiftReport): readonly AccuracyPoint[] {
  const gold = new Map((report.gold ?? []).map((g) => [g.shiftId, g]));
  const byReviewer = new Map<string, ShiftReport['summaries'][number][]>();
  for (const s of report.summaries) {
    byReviewer.set(s.shift.pseudonym, [...(byReviewer.get(s.shift.pseudonym) ?? []), s]);
  }
  return [...byReviewer]
    .map(([reviewer, summaries]) => {
      const workMs = summaries.reduce((n, s) => n + s.workMs, 0);
      const clipsDone = summaries.reduce((n, s) => n + s.clipsDone, 0);
      return {
        reviewer,
        shifts: summaries.length,
        clipsDone,
        clipsPerHour: workMs < MIN_WORK_MS ? null : clipsDone / (workMs / HOUR),
        gold: poolGoldFigures(summaries.flatMap((s) => gold.get(s.shift.id) ?? [])),
      };
    })
    .sort((a, b) => (a.reviewer < b.reviewer ? -1 : a.reviewer > b.reviewer ? 1 : 0));
}

/** Whether a point can be drawn: it has a speed and a gold word error rate. */
export const plotted = (p: AccuracyPoint): p is AccuracyPoint & { clipsPerHour: number; gold: { wer: number } } =>
  p.clipsPerHour !== null && p.gold.wer !== null;
