import { describe, expect, it } from 'vitest';
import type { ClipMetrics, ShiftReport, ShiftSummary } from '../../../shared/domain/timing';
import { BREAK_AFTER_ESCALATION_MS, handleSpread, reviewerFigures } from '../../../shared/timing/reviewer-figures';

const T0 = Date.UTC(2025, 2, 3, 8, 0);
const MIN = 60_000;

const summary = (id: string, pseudonym: string, o: Partial<ShiftSummary> = {}): ShiftSummary => ({
  shift: { id, pseudonym, startedAt: T0, startReason: 'first_clip', endedAt: T0 + 60 * MIN, endReason: 'sign_out' },
  durationMs: 60 * MIN,
  breakMs: 0,
  workMs: 60 * MIN,
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
});
const clip = (shiftId: string, n: number, handleMs: number): ClipMetrics => ({
  shiftId,
  batchId: 'b-AAAAAAAAAAAA0001',
  clipId: `c-AAAAAAAAAAAA${String(n).padStart(4, '0')}`,
  revision: 1,
  submittedAt: T0 + n * MIN,
  durationMs: 3_000,
  handleMs,
  activeMs: handleMs,
  idleMs: 0,
  listenMs: 3_000,
  realTimeFactor: 1,
  plays: 1,
  replays: 0,
  seeks: 0,
  rateChanges: 0,
  edits: 0,
  firstEditMs: null,
  wer: null,
  wordErrors: 0,
  referenceWords: 0,
  disposition: 'transcribed',
  critical: false,
  escalated: false,
  heardInFull: true,
});

describe('per-reviewer figures', () => {
  it('gives quartiles between neighbours, and nothing for no values', () => {
    expect(handleSpread([40, 10, 20, 30])).toEqual({ count: 4, min: 10, q1: 17.5, median: 25, q3: 32.5, max: 40 });
    expect(handleSpread([])).toBeNull();
  });

  it('adds up each reviewer’s shifts, by pseudonym, and counts breaks that followed an escalation', () => {
    const report: ShiftReport = {
      generatedAt: T0 + 2 * 60 * MIN,
      summaries: [
        summary('s-2', 'rv-b', { clipsDone: 1, workMs: 30 * MIN, activeMs: 10 * MIN }),
        summary('s-1', 'rv-a', { clipsDone: 2, workMs: 50 * MIN, activeMs: 20 * MIN, breakMs: 10 * MIN }),
        summary('s-3', 'rv-a', { clipsDone: 1, workMs: 10 * MIN, activeMs: 10 * MIN }),
      ],
      clips: [clip('s-1', 1, 10_000), clip('s-1', 2, 30_000), clip('s-3', 3, 20_000), clip('s-2', 4, 5_000)],
      breaks: [
        {
          id: 'br-1',
          shiftId: 's-1',
          trigger: 'escalations',
          startedAt: T0 + 12 * MIN,
          endedAt: T0 + 22 * MIN,
          skipped: false,
        },
        {
          id: 'br-2',
          shiftId: 's-2',
          trigger: 'escalations',
          startedAt: T0 + 6 * MIN,
          endedAt: T0 + 6 * MIN,
          skipped: true,
        },
      ],
      escalations: [
        { shiftId: 's-1', at: T0 + 10 * MIN, category: 'self_harm' },
        // Too long before the break to count as followed by it.
        { shiftId: 's-1', at: T0 + 12 * MIN - BREAK_AFTER_ESCALATION_MS - 1, category: 'other' },
        // A declined suggestion is no break.
        { shiftId: 's-2', at: T0 + 5 * MIN, category: 'self_harm' },
      ],
    };
    const [a, b] = reviewerFigures(report);
    expect(a).toMatchObject({
      pseudonym: 'rv-a',
      shifts: 2,
      clipsDone: 3,
      workMs: 60 * MIN,
      activeMs: 30 * MIN,
      clipsPerHour: 3,
      clipsPerActiveHour: 6,
      handle: { count: 3, min: 10_000, median: 20_000, max: 30_000 },
      escalations: 2,
      escalationsByCategory: { crime_or_abuse: 0, self_harm: 1, child_safety: 0, other: 1 },
      escalationsFollowedByBreak: 1,
      breaks: 1,
      breakMs: 10 * MIN,
    });
    expect(b).toMatchObject({ pseudonym: 'rv-b', escalations: 1, escalationsFollowedByBreak: 0, breaks: 0 });
  });
});
