/**
 * The shift report's three CSV files: one record per submitted clip revision, one per shift, one
 * per reviewer.
 * Ids, pseudonyms, times and numbers only; there is no column a transcript could go in. The
 * gold columns (accuracy on gold clips, docs/gold-clips.md) are filled only where the service
 * scored the shift; which clips were gold is never a column.
 * Times are ISO 8601 in UTC, durations whole milliseconds, ratios with four decimals.
 */
import { escalationCategories } from '../../shared/domain/annotation';
import type { ShiftReport } from '../../shared/domain/timing';
import { reviewerFigures } from '../../shared/timing/reviewer-figures';
import { toCsv } from './csv';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const ratio = (x: number | null): number | null => (x === null ? null : Math.round(x * 10_000) / 10_000);
const whole = (x: number | null): number | null => (x === null ? null : Math.round(x));

export const CLIP_COLUMNS = [
  'shift_id',
  'reviewer',
  'batch_id',
  'clip_id',
  'revision',
  'submitted_at',
  'clip_duration_ms',
  'handle_ms',
  'active_ms',
  'idle_ms',
  'listen_ms',
  'real_time_factor',
  'plays',
  'replays',
  'seeks',
  'speed_changes',
  'edits',
  'first_edit_active_ms',
  'wer',
  'word_errors',
  'reference_words',
  'disposition',
  'critical',
  'escalated',
  'heard_in_full',
  'submitted_before_heard_in_full',
] as const;

export const SHIFT_COLUMNS = [
  'shift_id',
  'reviewer',
  'started_at',
  'start_reason',
  'ended_at',
  'end_reason',
  'duration_ms',
  'break_ms',
  'work_ms',
  'breaks',
  'suggested_breaks_taken',
  'suggested_breaks_declined',
  'clips_done',
  'submits',
  'amendments',
  'clips_per_hour',
  'median_handle_ms',
  'mean_active_ms',
  'active_ms',
  'listen_ms',
  'escalations',
  'critical_clips',
  'submitted_before_heard_in_full',
  'wer',
  'idle_ms',
  'clips_per_active_hour',
  'gold_clips',
  'gold_wer',
  'gold_disposition_agreement',
] as const;

/** Per-clip records, in submit order. */
export function clipsCsv(report: ShiftReport): string {
  const reviewer = new Map(report.summaries.map((s) => [s.shift.id, s.shift.pseudonym]));
  return toCsv(
    CLIP_COLUMNS,
    report.clips.map((c) => [
      c.shiftId,
      c.shiftId === null ? null : (reviewer.get(c.shiftId) ?? null),
      c.batchId,
      c.clipId,
      c.revision,
      iso(c.submittedAt),
      c.durationMs,
      c.handleMs,
      c.activeMs,
      c.idleMs,
      c.listenMs,
      ratio(c.realTimeFactor),
      c.plays,
      c.replays,
      c.seeks,
      c.rateChanges,
      c.edits,
      c.firstEditMs,
      ratio(c.wer),
      c.wordErrors,
      c.referenceWords,
      c.disposition,
      c.critical,
      c.escalated,
      c.heardInFull,
      !c.heardInFull,
    ]),
  );
}

/** Per-shift records, in the report's order. */
export function shiftsCsv(report: ShiftReport): string {
  const gold = new Map((report.gold ?? []).map((g) => [g.shiftId, g]));
  return toCsv(
    SHIFT_COLUMNS,
    report.summaries.map((s) => [
      s.shift.id,
      s.shift.pseudonym,
      iso(s.shift.startedAt),
      s.shift.startReason,
      iso(s.shift.endedAt),
      s.shift.endReason,
      s.durationMs,
      s.breakMs,
      s.workMs,
      s.breaks,
      s.suggestedBreaksTaken,
      s.suggestedBreaksSkipped,
      s.clipsDone,
      s.submits,
      s.amendments,
      ratio(s.clipsPerHour),
      whole(s.medianHandleMs),
      whole(s.meanActiveMs),
      s.activeMs,
      s.listenMs,
      s.escalations,
      s.criticalClips,
      s.submittedBeforeHeard,
      ratio(s.wer),
      s.idleMs,
      ratio(s.clipsPerActiveHour),
      // Empty where the service scored nothing (a workstation's own report): not zero gold clips.
      gold.get(s.shift.id)?.clips ?? null,
      ratio(gold.get(s.shift.id)?.wer ?? null),
      ratio(gold.get(s.shift.id)?.dispositionAgreement ?? null),
    ]),
  );
}

export const REVIEWER_COLUMNS = [
  'reviewer',
  'shifts',
  'clips_done',
  'work_ms',
  'active_ms',
  'idle_ms',
  'clips_per_hour',
  'clips_per_active_hour',
  'handled_revisions',
  'handle_ms_min',
  'handle_ms_q1',
  'handle_ms_median',
  'handle_ms_q3',
  'handle_ms_max',
  'escalations',
  ...escalationCategories.map((c) => `escalations_${c}`),
  'escalations_followed_by_break',
  'breaks',
  'break_ms',
  'suggested_breaks_taken',
  'suggested_breaks_declined',
  'second_listens_asked',
  'second_listens_answered_for_them',
  'second_listens_given',
] as const;

/** Per-reviewer records, for comparing a team; escalations by category and whether a break followed. */
export function reviewersCsv(report: ShiftReport): string {
  // Empty where the service gave no counts (this workstation's shifts, or no answer).
  const listens = new Map(report.secondListens?.reviewers.map((l) => [l.pseudonym, l]));
  const counted = report.secondListens !== undefined;
  return toCsv(
    REVIEWER_COLUMNS,
    reviewerFigures(report).map((r) => [
      r.pseudonym,
      r.shifts,
      r.clipsDone,
      r.workMs,
      r.activeMs,
      r.idleMs,
      ratio(r.clipsPerHour),
      ratio(r.clipsPerActiveHour),
      r.handle?.count ?? 0,
      whole(r.handle?.min ?? null),
      whole(r.handle?.q1 ?? null),
      whole(r.handle?.median ?? null),
      whole(r.handle?.q3 ?? null),
      whole(r.handle?.max ?? null),
      r.escalations,
      ...escalationCategories.map((c) => r.escalationsByCategory[c]),
      r.escalationsFollowedByBreak,
      r.breaks,
      r.breakMs,
      r.suggestedBreaksTaken,
      r.suggestedBreaksSkipped,
      ...(counted ? secondListenCells(listens.get(r.pseudonym)) : ['', '', '']),
    ]),
  );
}

/** A reviewer the service counted no second listen for asked and answered none. */
function secondListenCells(l: NonNullable<ShiftReport['secondListens']>['reviewers'][number] | undefined) {
  return [l?.requested ?? 0, l?.answeredForThem ?? 0, l?.answered ?? 0];
}
