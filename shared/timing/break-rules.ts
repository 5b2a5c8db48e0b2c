/**
 * When a micro-break is suggested: after N escalations, or after M minutes of continuous work.
 * Continuous work is active time (a clip on screen, the reviewer not idle) since the last rest;
 * any stretch without active work at least as long as a micro-break counts as a rest, so a
 * reviewer who stepped away is not told to step away again. Pure.
 */
import type { SuggestedBreak } from '../domain/timing';
import { replayTimeline, type EpochEnd, type TimelineEvent } from './timeline';

/** The break settings the rules read (the `breaks` group of the workstation settings). */
export type BreakRuleSettings = {
  readonly microBreakEveryMinutes: number;
  readonly microBreakMinutes: number;
  readonly microBreakAfterEscalations: number;
  readonly breaksSkippable: boolean;
};

const MINUTE = 60_000;

/**
 * Active work since the last rest of at least `restMs`, measured over a shift's events up to
 * where the last epoch was last heard from. `openAtStart`: a clip was on screen before the first event.
 */
export function workSinceRest(
  events: readonly TimelineEvent[],
  o: {
    readonly epochEnd: (epoch: string) => EpochEnd | undefined;
    readonly restMs: number;
    readonly openAtStart: boolean;
  },
): number {
  let active = 0;
  let rest = 0;
  replayTimeline(events, {
    epochEnd: o.epochEnd,
    initial: { open: o.openAtStart },
    toEpochEnd: true,
    stretch: (s) => {
      if (!s.gap && s.state.open && !s.state.idle) {
        if (rest >= o.restMs) {
          active = 0;
        }
        rest = 0;
        active += s.ms;
      } else {
        rest += s.ms;
      }
    },
  });
  return rest >= o.restMs ? 0 : Math.round(active);
}

/** Which suggestion is due, and how much active work is left before the next one. */
export function breakDue(o: {
  readonly activeMs: number;
  readonly escalations: number;
  readonly rules: BreakRuleSettings;
}): { readonly due: SuggestedBreak | null; readonly nextBreakInMs: number } {
  const everyMs = o.rules.microBreakEveryMinutes * MINUTE;
  const afterEscalations = o.rules.microBreakAfterEscalations;
  if (afterEscalations > 0 && o.escalations >= afterEscalations) {
    return { due: 'escalations', nextBreakInMs: 0 };
  }
  if (o.activeMs >= everyMs) {
    return { due: 'continuous_work', nextBreakInMs: 0 };
  }
  return { due: null, nextBreakInMs: everyMs - o.activeMs };
}
