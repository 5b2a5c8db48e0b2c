/**
 * Timing, shifts and breaks: what the review screen records about how a clip was worked on, and
 * what supervisors and reviewers read back. Numbers, enum labels and pseudonymous ids only: no
 * transcript, hypothesis, note or audio ever appears here.
 */
import type { CriticalCategory, Disposition, EscalationCategory } from './annotation';
import type { ShiftGold } from './gold';

/**
 * What the renderer records, each on its own monotonic clock:
 * - `shown` / `leave`: a clip came on screen / left it (a visit);
 * - `play`, `pause`, `seek`, `replay`, `rate`: playback, with the position (and the speed for `rate`);
 * - `heard`: the clip has now been heard in full;
 * - `edit`: the transcript changed (`value` = how many changes were coalesced into this event);
 * - `disposition`, `tag`: a disposition chosen, a span tagged (`label` says which);
 * - `submit`, `escalate`: the clip was submitted / escalated;
 * - `idle` / `active`: the reviewer stopped / resumed working (`label` = why idle started).
 */
export const timingEventKinds = [
  'shown',
  'leave',
  'play',
  'pause',
  'seek',
  'replay',
  'rate',
  'heard',
  'edit',
  'disposition',
  'tag',
  'submit',
  'escalate',
  'idle',
  'active',
] as const;
/** One of {@link timingEventKinds}. */
export type TimingEventKind = (typeof timingEventKinds)[number];

/**
 * A kind as the workstation stores it: `mark` stands for a `disposition`, `tag` or `escalate`
 * event, whose kind is sealed at rest with its label (what a clip holds stays off the disk in
 * the clear). The timeline and the metrics treat those three alike, so they need no key.
 */
export type StoredEventKind = TimingEventKind | 'mark';

/**
 * Why work stopped: the window hidden or blurred, no input for the idle threshold, the screen
 * locked, the machine asleep (or the renderer frozen), a break, or Earmark itself locked.
 */
export const idleReasons = ['hidden', 'blur', 'no_input', 'lock', 'suspend', 'break', 'app_lock'] as const;
/** One of {@link idleReasons}. */
export type IdleReason = (typeof idleReasons)[number];

/** What a `tag` event says: a critical-data category, or that an entity was tagged. */
export type TagLabel = CriticalCategory | 'entity';

/** One recorded moment. `t` is the renderer's monotonic clock (ms since its page started). */
export type TimingEvent = {
  /** Increases by one per event within an epoch; main drops a (epoch, seq) it already holds. */
  readonly seq: number;
  readonly t: number;
  readonly kind: TimingEventKind;
  readonly batchId: string | null;
  readonly clipId: string | null;
  /** Playback position, for playback events. */
  readonly positionMs?: number | undefined;
  /** The speed for `rate`, the change count for `edit`, the skip in ms for `seek`. */
  readonly value?: number | undefined;
  /** A disposition, a tag label or an idle reason. */
  readonly label?: Disposition | TagLabel | IdleReason | undefined;
};

/**
 * Events sent together. `epoch` names one run of the renderer's clock (a page load): a reload
 * or a crash starts a new epoch, and times are only compared within one.
 */
export type TimingBatch = {
  readonly epoch: string;
  /** The renderer's monotonic time when it sent the batch; main dates the events from it. */
  readonly sentAt: number;
  readonly events: readonly TimingEvent[];
};

/** Why a shift started and ended. A shift left open for hours without activity has lapsed. */
export const shiftStartReasons = ['sign_in', 'first_clip'] as const;
export type ShiftStartReason = (typeof shiftStartReasons)[number];
export const shiftEndReasons = ['sign_out', 'explicit', 'lapsed'] as const;
export type ShiftEndReason = (typeof shiftEndReasons)[number];

/** One reviewer's shift on this workstation. Times are ms since the epoch (main's trusted clock). */
export type ShiftInfo = {
  readonly id: string;
  readonly pseudonym: string;
  readonly startedAt: number;
  readonly startReason: ShiftStartReason;
  readonly endedAt: number | null;
  readonly endReason: ShiftEndReason | null;
};

/** Why a break was taken: by hand, or a suggestion after escalations or a stretch of continuous work. */
export const breakTriggers = ['manual', 'escalations', 'continuous_work'] as const;
export type BreakTrigger = (typeof breakTriggers)[number];
/** The triggers of suggested breaks. */
export type SuggestedBreak = Exclude<BreakTrigger, 'manual'>;

/** A break, or a declined suggestion (`skipped`, which starts and ends at once). */
export type BreakInfo = {
  readonly id: string;
  readonly shiftId: string;
  readonly trigger: BreakTrigger;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly skipped: boolean;
};

/** The reviewer's own pace, for the panel on the review screen. */
export type PacePanel = {
  readonly shift: ShiftInfo | null;
  /** Distinct clips submitted in the shift. */
  readonly clipsDone: number;
  /** Clips done per hour of shift time less breaks; null in the shift's first minute. */
  readonly clipsPerHour: number | null;
  readonly medianHandleMs: number | null;
  /** Active work left before a micro-break is suggested; 0 when one is due. */
  readonly nextBreakInMs: number;
  /** The suggestion that is due now, if any. */
  readonly breakDue: SuggestedBreak | null;
  /** The break under way, if any. */
  readonly onBreak: BreakInfo | null;
  /** Settings the review screen applies. */
  readonly idleSeconds: number;
  readonly breakMinutes: number;
  readonly breaksSkippable: boolean;
};

/** Per submitted revision: derived numbers only. Durations in ms. */
export type ClipMetrics = {
  readonly shiftId: string | null;
  readonly batchId: string;
  readonly clipId: string;
  readonly revision: number;
  readonly submittedAt: number;
  readonly durationMs: number;
  /** Time the clip was on screen. */
  readonly handleMs: number;
  /** Handle time less idle time. */
  readonly activeMs: number;
  readonly idleMs: number;
  /** Time the audio was playing while the clip was on screen. */
  readonly listenMs: number;
  /** Active time ÷ clip duration; null for a clip of unknown length. */
  readonly realTimeFactor: number | null;
  readonly plays: number;
  readonly replays: number;
  readonly seeks: number;
  readonly rateChanges: number;
  readonly edits: number;
  /** Handle time before the first edit; null when the transcript was not edited. */
  readonly firstEditMs: number | null;
  /** ASR hypothesis scored against the submitted transcript; null when the transcript has no words. */
  readonly wer: number | null;
  readonly wordErrors: number;
  readonly referenceWords: number;
  readonly disposition: Disposition;
  readonly critical: boolean;
  readonly escalated: boolean;
  readonly heardInFull: boolean;
};

/** One shift's figures, for the report and its per-shift CSV. */
export type ShiftSummary = {
  readonly shift: ShiftInfo;
  /**
   * Start to end. A shift without an end runs to the present while live, and to its last
   * activity once it has lapsed (its `shift` then reads ended, `lapsed`, at that moment).
   */
  readonly durationMs: number;
  readonly breakMs: number;
  /** Duration less breaks. */
  readonly workMs: number;
  readonly breaks: number;
  readonly suggestedBreaksTaken: number;
  readonly suggestedBreaksSkipped: number;
  readonly clipsDone: number;
  readonly submits: number;
  readonly amendments: number;
  /** Clips done per hour of work time (idle time included); null under a minute of work. */
  readonly clipsPerHour: number | null;
  /** Work time in which no clip was actively worked on: work time less active time. */
  readonly idleMs: number;
  /** Clips done per hour of active time (idle time left out); null under a minute of it. */
  readonly clipsPerActiveHour: number | null;
  readonly medianHandleMs: number | null;
  readonly meanActiveMs: number | null;
  readonly activeMs: number;
  readonly listenMs: number;
  readonly escalations: number;
  readonly criticalClips: number;
  readonly submittedBeforeHeard: number;
  /** Word errors ÷ reference words over the shift's submits. */
  readonly wer: number | null;
};

/** An escalation as reports count it: when it was saved and its category (never its note). */
export type EscalationMark = { readonly at: number; readonly category: EscalationCategory };

/** What the supervisor report shows: no transcript text, no audio. */
export type ShiftReport = {
  readonly generatedAt: number;
  readonly summaries: readonly ShiftSummary[];
  readonly clips: readonly ClipMetrics[];
  readonly breaks: readonly BreakInfo[];
  readonly escalations: readonly (EscalationMark & { readonly shiftId: string })[];
  /**
   * Gold figures by shift, where the service scored them (a team report); absent or without a
   * shift's entry, its gold columns are empty.
   */
  readonly gold?: readonly ShiftGold[];
  /**
   * Second listens per reviewer of the report, as the service counted them over the window the
   * shifts were listed for (a team report); absent when the service gave no counts.
   */
  readonly secondListens?: SecondListenCounts;
};

/** Second listens asked and answered per reviewer, over [from, to). */
export type SecondListenCounts = {
  readonly from: number;
  readonly to: number;
  readonly reviewers: readonly {
    readonly pseudonym: string;
    /** Second listens this reviewer asked for. */
    readonly requested: number;
    /** Of those, how many a teammate answered. */
    readonly answeredForThem: number;
    /** Proposals this reviewer wrote for teammates. */
    readonly answered: number;
  }[];
};

/** Where a report's shifts come from: the team's, from the service, or this workstation's own. */
export const reportSources = ['service', 'workstation'] as const;
export type ReportSource = (typeof reportSources)[number];

/** The supervisor's filters for the team's shifts; times are ms since the epoch. */
export type TeamShiftQuery = {
  /** Shifts that started at or after this time (default: seven days before `to`). */
  readonly from?: number | undefined;
  /** Shifts that started before this time (default: now). */
  readonly to?: number | undefined;
  readonly reviewer?: string | undefined;
  readonly batch?: string | undefined;
  /** Shifts per page, 1–100 (the service's default when absent). */
  readonly limit?: number | undefined;
  /** The `nextCursor` of the page before, with the same filters. */
  readonly cursor?: string | undefined;
};

/**
 * One page of shifts to choose from, newest first. With the service out of reach (or no session
 * with it) they are this workstation's own, and `fallback` says why.
 */
export type TeamShiftList = {
  readonly source: ReportSource;
  readonly fallback: 'signed_out' | 'unreachable' | null;
  readonly from: number;
  readonly to: number;
  readonly shifts: readonly ShiftSummary[];
  readonly nextCursor: string | null;
};

/** Power state changes main passes on from the operating system. */
export const powerStates = ['lock', 'unlock', 'suspend', 'resume'] as const;
export type PowerState = (typeof powerStates)[number];
