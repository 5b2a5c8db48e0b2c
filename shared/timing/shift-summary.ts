/** A shift's figures from its clip metrics, breaks and escalations. Pure. */
import type { BreakInfo, ClipMetrics, ShiftInfo, ShiftSummary } from '../domain/timing';

const HOUR = 3_600_000;
/** Below this much work time a rate per hour says nothing. */
const MIN_RATE_WINDOW_MS = 60_000;

/**
 * The idle limit of docs/timing.md: a shift with no activity for this long has lapsed, and it
 * ended at its last activity.
 */
export const SHIFT_LAPSE_MS = 4 * HOUR;

/** The fields of a shift the lapse rule reads. */
export type ShiftTimes = Pick<ShiftInfo, 'startedAt' | 'endedAt'> & { readonly lastActivityAt: number };

/** Whether a shift without an end has lapsed by `now`: no activity for longer than {@link SHIFT_LAPSE_MS}. */
export function hasLapsed(shift: ShiftTimes, now: number): boolean {
  return shift.endedAt === null && now - shift.lastActivityAt > SHIFT_LAPSE_MS;
}

/**
 * Where a shift ends for its figures: its end; for one without an end that has lapsed, its last
 * activity; for one still live, `now`. Never before it started.
 */
export function shiftEnd(shift: ShiftTimes, now: number): number {
  if (shift.endedAt !== null) {
    return shift.endedAt;
  }
  return Math.max(hasLapsed(shift, now) ? shift.lastActivityAt : now, shift.startedAt);
}

/** The middle value (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** Distinct clips among submits. */
export const distinctClips = (clips: readonly ClipMetrics[]): number =>
  new Set(clips.map((c) => `${c.batchId}\u0000${c.clipId}`)).size;

/** Time on breaks (declined suggestions take none) within [start, end]. */
export function breakTime(breaks: readonly BreakInfo[], start: number, end: number): number {
  return breaks
    .filter((b) => !b.skipped)
    .reduce((sum, b) => sum + Math.max(0, Math.min(b.endedAt ?? end, end) - Math.max(b.startedAt, start)), 0);
}

/** Clips per hour of work time; null while there is too little work time to say. */
export function perHour(clips: number, workMs: number): number | null {
  return workMs >= MIN_RATE_WINDOW_MS ? clips / (workMs / HOUR) : null;
}

/** What a shift's figures are computed from. */
export type SummaryInput = {
  readonly shift: ShiftInfo & { readonly lastActivityAt: number };
  /**
   * The present: where a live shift ends for now. A shift without an end that has had no
   * activity for {@link SHIFT_LAPSE_MS} by then lapsed at its last activity instead.
   */
  readonly now: number;
  readonly clips: readonly ClipMetrics[];
  readonly breaks: readonly BreakInfo[];
  /** When escalations were saved during the shift. */
  readonly escalations: readonly number[];
};

/** One shift's figures. */
export function summariseShift({ shift, now, clips, breaks, escalations }: SummaryInput): ShiftSummary {
  const lapsed = hasLapsed(shift, now);
  const end = shiftEnd(shift, now);
  const durationMs = end - shift.startedAt;
  const breakMs = Math.min(durationMs, breakTime(breaks, shift.startedAt, end));
  const workMs = durationMs - breakMs;
  const clipsDone = distinctClips(clips);
  const sum = (pick: (c: ClipMetrics) => number): number => clips.reduce((s, c) => s + pick(c), 0);
  const activeMs = sum((c) => c.activeMs);
  const referenceWords = sum((c) => c.referenceWords);
  const taken = breaks.filter((b) => !b.skipped);
  return {
    shift: {
      id: shift.id,
      pseudonym: shift.pseudonym,
      startedAt: shift.startedAt,
      startReason: shift.startReason,
      endedAt: lapsed ? end : shift.endedAt,
      endReason: lapsed ? 'lapsed' : shift.endReason,
    },
    durationMs,
    breakMs,
    workMs,
    breaks: taken.length,
    suggestedBreaksTaken: taken.filter((b) => b.trigger !== 'manual').length,
    suggestedBreaksSkipped: breaks.filter((b) => b.skipped).length,
    clipsDone,
    submits: clips.length,
    amendments: clips.filter((c) => c.revision > 1).length,
    clipsPerHour: perHour(clipsDone, workMs),
    idleMs: Math.max(0, workMs - activeMs),
    clipsPerActiveHour: perHour(clipsDone, activeMs),
    medianHandleMs: median(clips.map((c) => c.handleMs)),
    meanActiveMs: clips.length > 0 ? activeMs / clips.length : null,
    activeMs,
    listenMs: sum((c) => c.listenMs),
    escalations: escalations.length,
    criticalClips: clips.filter((c) => c.critical).length,
    submittedBeforeHeard: clips.filter((c) => !c.heardInFull).length,
    wer: referenceWords > 0 ? sum((c) => c.wordErrors) / referenceWords : null,
  };
}
