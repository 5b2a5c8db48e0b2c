/** A shift summary for report tests: zero figures unless given. */
import type { ShiftSummary } from '../../shared/domain/timing';

export function reportSummary(
  id: string,
  pseudonym: string,
  o: Partial<Omit<ShiftSummary, 'shift'>> = {},
): ShiftSummary {
  const startedAt = Date.UTC(2025, 2, 3, 8, 0);
  return {
    shift: {
      id,
      pseudonym,
      startedAt,
      startReason: 'sign_in',
      endedAt: startedAt + 3_600_000,
      endReason: 'sign_out',
    },
    durationMs: 0,
    breakMs: 0,
    workMs: 0,
    breaks: 0,
    suggestedBreaksTaken: 0,
    suggestedBreaksSkipped: 0,
    clipsDone: 0,
    submits: 0,
    amendments: 0,
    clipsPerHour: null,
    idleMs: 0,
    clipsPerActiveHour: null,
    medianHandleMs: null,
    meanActiveMs: null,
    activeMs: 0,
    listenMs: 0,
    escalations: 0,
    criticalClips: 0,
    submittedBeforeHeard: 0,
    wer: null,
    ...o,
  };
}
