/**
 * Shifts and breaks. A shift starts at a reviewer's sign-in (a supervisor's starts none), or
 * with the first clip worked on when nobody signed in; it ends at sign-out, when the reviewer
 * ends it, or (found later) when it was left open without activity for the lapse limit
 * (`SHIFT_LAPSE_MS` in shared/timing/shift-summary.ts), at its last activity. One shift is open per
 * workstation; a different reviewer signing in ends the one before. The service follows
 * sign-in and sign-out itself, from the session's events on the hub, so a shift starts
 * whoever signs the reviewer in.
 *
 * Breaks belong to the open shift: taken by hand or on a suggestion (break-rules.ts), and a
 * declined suggestion is recorded too. Everything is stored at once, so it survives a crash.
 */
import { randomUUID } from 'node:crypto';
import type { ReviewerIdentity, SessionInfo } from '../../shared/domain/session';
import type {
  BreakInfo,
  BreakTrigger,
  PacePanel,
  ShiftInfo,
  ShiftStartReason,
  SuggestedBreak,
} from '../../shared/domain/timing';
import type { ShiftRepository, ShiftRow } from '../db/repositories/shift.repository';
import type { TimingRepository } from '../db/repositories/timing.repository';
import { breakDue, workSinceRest, type BreakRuleSettings } from '../../shared/timing/break-rules';
import { hasLapsed, summariseShift } from '../../shared/timing/shift-summary';
import type { EpochEnd } from '../../shared/timing/timeline';
import type { EventHub } from './event-hub';
import { ServiceError } from './service-error';
import type { TrustedClock } from './trusted-clock';

/** The settings timing reads: the idle threshold and the break rules. */
export type TimingSettings = { readonly idleSeconds: number; readonly breaks: BreakRuleSettings };

export type ShiftDeps = {
  readonly shifts: ShiftRepository;
  readonly timing: TimingRepository;
  readonly clock: TrustedClock;
  readonly session: () => SessionInfo;
  readonly settings: () => TimingSettings;
  /** Where `session:signedIn` and `session:signedOut` arrive. */
  readonly events: Pick<EventHub, 'on'>;
};

const publicShift = ({ lastActivityAt: _activity, ...shift }: ShiftRow): ShiftInfo => shift;

/** Looks up when each epoch was last heard from, once per epoch. */
export function epochEnds(timing: TimingRepository): (epoch: string) => EpochEnd | undefined {
  const seen = new Map<string, EpochEnd | undefined>();
  return (epoch) => {
    if (!seen.has(epoch)) {
      const e = timing.epoch(epoch);
      seen.set(epoch, e ? { mono: e.lastMono, at: e.lastSeenAt } : undefined);
    }
    return seen.get(epoch);
  };
}

export function createShiftService(d: ShiftDeps) {
  /** Ends the open shift at `now` for `reason`, or at its last activity if it lapsed before. */
  const close = (open: ShiftRow, reason: 'sign_out' | 'explicit'): void => {
    const now = d.clock.now();
    if (hasLapsed(open, now)) {
      d.shifts.end(open.id, open.lastActivityAt, 'lapsed');
    } else {
      d.shifts.end(open.id, now, reason);
    }
  };

  /** The open shift, after ending one that lapsed or that belongs to someone else. */
  const current = (): ShiftRow | undefined => {
    const open = d.shifts.open();
    if (!open) {
      return undefined;
    }
    if (hasLapsed(open, d.clock.now()) || open.pseudonym !== d.session().identity.pseudonym) {
      close(open, 'sign_out');
      return undefined;
    }
    return open;
  };

  const start = (reason: ShiftStartReason, at = d.clock.now()): ShiftRow => {
    const id = randomUUID();
    d.shifts.start({ id, pseudonym: d.session().identity.pseudonym, at, reason });
    return d.shifts.find(id) as ShiftRow;
  };

  const ensure = (at?: number): ShiftRow => current() ?? start('first_clip', at);

  /** Where each break rule counts from: the last break taken, or the last time its suggestion was declined. */
  const resetPoints = (shift: ShiftRow, breaks: readonly BreakInfo[]) => {
    const lastTaken = breaks
      .filter((b) => !b.skipped)
      .reduce((t, b) => Math.max(t, b.endedAt ?? b.startedAt), shift.startedAt);
    const declined = (trigger: SuggestedBreak): number =>
      breaks.filter((b) => b.skipped && b.trigger === trigger).reduce((t, b) => Math.max(t, b.startedAt), lastTaken);
    return { escalations: declined('escalations'), work: declined('continuous_work') };
  };

  /**
   * Someone signed in: the shift before ends (unless it is theirs), and a reviewer's starts.
   * A supervisor reads reports and does no review work, so their sign-in starts no shift.
   */
  const signedIn = (identity: ReviewerIdentity): void => {
    const open = d.shifts.open();
    // Signing in again (a renewed session) keeps the reviewer's shift going, unless it lapsed.
    if (open?.pseudonym === identity.pseudonym && !hasLapsed(open, d.clock.now())) {
      return;
    }
    if (open) {
      close(open, 'sign_out');
    }
    if (identity.role !== 'supervisor') {
      start('sign_in');
    }
  };
  /** The reviewer signed out: the open shift ends. */
  const signedOut = (): void => {
    const open = d.shifts.open();
    if (open) {
      close(open, 'sign_out');
    }
  };
  d.events.on('session:signedIn', signedIn);
  d.events.on('session:signedOut', signedOut);

  return {
    /** The open shift of the signed-in reviewer, or null. */
    current: (): ShiftInfo | null => {
      const s = current();
      return s ? publicShift(s) : null;
    },
    /** The open shift's id, starting one (reason `first_clip`) when none is open. */
    ensure: (at?: number): string => ensure(at).id,
    /** Notes activity on the open shift, so it does not lapse. */
    touch(shiftId: string, at: number): void {
      d.shifts.touch(shiftId, at);
    },
    /** Ends the open shift at the reviewer's request; returns it, or null when none was open. */
    end(): ShiftInfo | null {
      const open = current();
      if (!open) {
        return null;
      }
      d.shifts.end(open.id, d.clock.now(), 'explicit');
      const ended = d.shifts.find(open.id);
      return ended ? publicShift(ended) : null;
    },
    /** Starts a break (the one under way, if any, is returned as it is). */
    startBreak(trigger: BreakTrigger): BreakInfo {
      const shift = ensure();
      const open = d.shifts.openBreak(shift.id);
      if (open) {
        return open;
      }
      const id = randomUUID();
      d.shifts.addBreak({ id, shiftId: shift.id, trigger, at: d.clock.now(), skipped: false });
      return d.shifts.openBreak(shift.id) as BreakInfo;
    },
    /** Ends the break under way; null when there is none. */
    endBreak(): BreakInfo | null {
      const shift = current();
      const open = shift ? d.shifts.openBreak(shift.id) : undefined;
      if (!shift || !open) {
        return null;
      }
      d.shifts.endBreak(open.id, d.clock.now());
      return d.shifts.lastBreak(shift.id) ?? null;
    },
    /**
     * Records that a suggested break was declined; its rule starts counting again from now.
     * Refused where breaks may not be skipped: the window hides the choice then, and a skip
     * recorded anyway would clear the break it owes and show the shift as one that declined it.
     */
    skipBreak(trigger: SuggestedBreak): null {
      if (!d.settings().breaks.breaksSkippable) {
        throw new ServiceError('CONFLICT', 'Breaks cannot be skipped under this workstation’s settings.');
      }
      const shift = ensure();
      d.shifts.addBreak({ id: randomUUID(), shiftId: shift.id, trigger, at: d.clock.now(), skipped: true });
      return null;
    },

    /** The reviewer's pace in the open shift and when the next break is due. */
    panel(): PacePanel {
      const settings = d.settings();
      const rules = settings.breaks;
      const base = {
        idleSeconds: settings.idleSeconds,
        breakMinutes: rules.microBreakMinutes,
        breaksSkippable: rules.breaksSkippable,
      };
      const shift = current();
      if (!shift) {
        return {
          shift: null,
          clipsDone: 0,
          clipsPerHour: null,
          medianHandleMs: null,
          nextBreakInMs: rules.microBreakEveryMinutes * 60_000,
          breakDue: null,
          onBreak: null,
          ...base,
        };
      }
      const now = d.clock.now();
      const breaks = d.shifts.breaksOf(shift.id);
      const summary = summariseShift({ shift, now, clips: d.timing.metricsOfShift(shift.id), breaks, escalations: [] });
      const onBreak = breaks.find((b) => b.endedAt === null) ?? null;
      const from = resetPoints(shift, breaks);
      const { before, events } = d.timing.shiftEventsSince(shift.id, from.work);
      const openAtStart = before?.kind === 'shown' && before.epoch === events[0]?.epoch;
      const activeMs = workSinceRest(events, {
        epochEnd: epochEnds(d.timing),
        restMs: rules.microBreakMinutes * 60_000,
        openAtStart,
      });
      const due = breakDue({
        activeMs,
        escalations: d.shifts.escalationTimes(from.escalations + 1, now).length,
        rules,
      });
      return {
        shift: publicShift(shift),
        clipsDone: summary.clipsDone,
        clipsPerHour: summary.clipsPerHour,
        medianHandleMs: summary.medianHandleMs,
        nextBreakInMs: due.nextBreakInMs,
        breakDue: onBreak ? null : due.due,
        onBreak,
        ...base,
      };
    },
  };
}

export type ShiftService = ReturnType<typeof createShiftService>;
