/**
 * Per-reviewer figures for comparing a team: throughput, the spread of handle times, escalations
 * by category and whether a break followed each, and breaks. Computed from a shift report (the
 * workstation's or the service's) so the screen, the CSV and the PDF read the same numbers. Pure.
 */
import { escalationCategories, type EscalationCategory } from '../domain/annotation';
import type { ShiftReport } from '../domain/timing';
import { perHour } from './shift-summary';

/**
 * A break counts as following an escalation when it starts within this time after it (the
 * escalation dialog offers the break at once; a reviewer may first finish the clip).
 */
export const BREAK_AFTER_ESCALATION_MS = 15 * 60_000;

/** The spread of handle times, in ms: lowest, quartiles, median and highest. */
export type HandleSpread = {
  readonly count: number;
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
};

/** One reviewer's figures over the shifts of a report. */
export type ReviewerFigures = {
  readonly pseudonym: string;
  readonly shifts: number;
  /** Distinct clips per shift, added up. */
  readonly clipsDone: number;
  readonly workMs: number;
  readonly activeMs: number;
  readonly idleMs: number;
  /** Clips per hour of work time (idle included) and of active time; null under a minute. */
  readonly clipsPerHour: number | null;
  readonly clipsPerActiveHour: number | null;
  /** Over every submitted revision; null when there is none. */
  readonly handle: HandleSpread | null;
  readonly escalations: number;
  readonly escalationsByCategory: Readonly<Record<EscalationCategory, number>>;
  /** Escalations a break started within {@link BREAK_AFTER_ESCALATION_MS} of, in the same shift. */
  readonly escalationsFollowedByBreak: number;
  /** Breaks taken (declined suggestions left out) and their time. */
  readonly breaks: number;
  readonly breakMs: number;
  readonly suggestedBreaksTaken: number;
  readonly suggestedBreaksSkipped: number;
};

/** The value at fraction `p` of sorted `values`, interpolated between neighbours. */
export function quantile(sorted: readonly number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const low = sorted[lo] ?? 0;
  const high = sorted[Math.min(sorted.length - 1, lo + 1)] ?? low;
  return low + (high - low) * (at - lo);
}

/** The spread of `values`; null for none. */
export function handleSpread(values: readonly number[]): HandleSpread | null {
  if (values.length === 0) {
    return null;
  }
  const s = [...values].sort((a, b) => a - b);
  return {
    count: s.length,
    min: s[0] ?? 0,
    q1: quantile(s, 0.25),
    median: quantile(s, 0.5),
    q3: quantile(s, 0.75),
    max: s.at(-1) ?? 0,
  };
}

const noCategories = (): Record<EscalationCategory, number> =>
  Object.fromEntries(escalationCategories.map((c) => [c, 0])) as Record<EscalationCategory, number>;

/** The figures of each reviewer in `report`, by pseudonym in alphabetical order. */
export function reviewerFigures(report: ShiftReport): ReviewerFigures[] {
  const byReviewer = new Map<string, ShiftReport['summaries'][number][]>();
  for (const s of report.summaries) {
    byReviewer.set(s.shift.pseudonym, [...(byReviewer.get(s.shift.pseudonym) ?? []), s]);
  }
  return [...byReviewer]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([pseudonym, summaries]) => {
      const ids = new Set(summaries.map((s) => s.shift.id));
      const clips = report.clips.filter((c) => c.shiftId !== null && ids.has(c.shiftId));
      const breaks = report.breaks.filter((b) => ids.has(b.shiftId));
      const taken = breaks.filter((b) => !b.skipped);
      const escalations = report.escalations.filter((e) => ids.has(e.shiftId));
      const byCategory = noCategories();
      for (const e of escalations) {
        byCategory[e.category] += 1;
      }
      const followed = escalations.filter((e) =>
        taken.some(
          (b) => b.shiftId === e.shiftId && b.startedAt >= e.at && b.startedAt - e.at <= BREAK_AFTER_ESCALATION_MS,
        ),
      ).length;
      const sum = (f: (s: ShiftReport['summaries'][number]) => number): number =>
        summaries.reduce((n, s) => n + f(s), 0);
      const clipsDone = sum((s) => s.clipsDone);
      const workMs = sum((s) => s.workMs);
      const activeMs = sum((s) => s.activeMs);
      return {
        pseudonym,
        shifts: summaries.length,
        clipsDone,
        workMs,
        activeMs,
        idleMs: sum((s) => s.idleMs),
        clipsPerHour: perHour(clipsDone, workMs),
        clipsPerActiveHour: perHour(clipsDone, activeMs),
        handle: handleSpread(clips.map((c) => c.handleMs)),
        escalations: escalations.length,
        escalationsByCategory: byCategory,
        escalationsFollowedByBreak: followed,
        breaks: taken.length,
        breakMs: sum((s) => s.breakMs),
        suggestedBreaksTaken: sum((s) => s.suggestedBreaksTaken),
        suggestedBreaksSkipped: sum((s) => s.suggestedBreaksSkipped),
      };
    });
}
