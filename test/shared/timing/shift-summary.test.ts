import { describe, expect, it } from 'vitest';
import type { BreakInfo, ClipMetrics } from '../../../shared/domain/timing';
import { breakTime, median, SHIFT_LAPSE_MS, shiftEnd, summariseShift } from '../../../shared/timing/shift-summary';

const HOUR = 3_600_000;

function clip(clipId: string, o: Partial<ClipMetrics> = {}): ClipMetrics {
  return {
    shiftId: 's1',
    batchId: 'b1',
    clipId,
    revision: 1,
    submittedAt: 0,
    durationMs: 4_000,
    handleMs: 20_000,
    activeMs: 15_000,
    idleMs: 5_000,
    listenMs: 5_000,
    realTimeFactor: 3.75,
    plays: 1,
    replays: 0,
    seeks: 0,
    rateChanges: 0,
    edits: 3,
    firstEditMs: 2_000,
    wer: 0.5,
    wordErrors: 2,
    referenceWords: 4,
    disposition: 'transcribed',
    critical: false,
    escalated: false,
    heardInFull: true,
    ...o,
  };
}
const brk = (startedAt: number, endedAt: number | null, o: Partial<BreakInfo> = {}): BreakInfo => ({
  id: `k${startedAt}`,
  shiftId: 's1',
  trigger: 'manual',
  startedAt,
  endedAt,
  skipped: false,
  ...o,
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('breakTime', () => {
  it('counts taken breaks within the shift, an open one up to its end, and no time for a declined suggestion', () => {
    expect(
      breakTime([brk(100, 200), brk(300, 300, { skipped: true, trigger: 'escalations' }), brk(900, null)], 0, 1_000),
    ).toBe(200);
  });
});

describe('summariseShift', () => {
  it('gives clips per hour of work time less breaks, distinct clips, amendments and pooled WER', () => {
    const s = summariseShift({
      shift: {
        id: 's1',
        pseudonym: 'rv-1',
        startedAt: 0,
        startReason: 'sign_in',
        endedAt: 2 * HOUR + 0.5 * HOUR,
        endReason: 'sign_out',
        lastActivityAt: 0,
      },
      now: 9 * HOUR,
      clips: [
        clip('c1', { handleMs: 10_000 }),
        clip('c2', { handleMs: 30_000, heardInFull: false, critical: true }),
        clip('c1', { revision: 2, handleMs: 20_000, wordErrors: 0 }),
      ],
      breaks: [brk(HOUR, 1.5 * HOUR)],
      escalations: [5, 6],
    });
    expect(s).toMatchObject({
      durationMs: 2.5 * HOUR,
      breakMs: 0.5 * HOUR,
      workMs: 2 * HOUR,
      breaks: 1,
      clipsDone: 2,
      submits: 3,
      amendments: 1,
      clipsPerHour: 1,
      medianHandleMs: 20_000,
      meanActiveMs: 15_000,
      escalations: 2,
      criticalClips: 1,
      submittedBeforeHeard: 1,
      wer: 4 / 12,
    });
  });

  it('runs an open shift to now, and has no rate while there is under a minute of work', () => {
    const s = summariseShift({
      shift: {
        id: 's1',
        pseudonym: 'rv-1',
        startedAt: 1_000,
        startReason: 'first_clip',
        endedAt: null,
        endReason: null,
        lastActivityAt: 0,
      },
      now: 31_000,
      clips: [clip('c1')],
      breaks: [],
      escalations: [],
    });
    expect(s).toMatchObject({ durationMs: 30_000, clipsPerHour: null, medianHandleMs: 20_000 });
  });

  it('ends a shift without an end at its last activity once it has lapsed', () => {
    const shift = {
      id: 's1',
      pseudonym: 'rv-1',
      startedAt: 0,
      startReason: 'sign_in' as const,
      endedAt: null,
      endReason: null,
      lastActivityAt: 30_000,
    };
    // One 30 s clip, then nothing for twenty hours.
    const s = summariseShift({ shift, now: 20 * HOUR, clips: [clip('c1')], breaks: [], escalations: [] });
    expect(s).toMatchObject({
      shift: { endedAt: 30_000, endReason: 'lapsed' },
      durationMs: 30_000,
      workMs: 30_000,
      clipsPerHour: null,
    });
    expect(shiftEnd(shift, 30_000 + SHIFT_LAPSE_MS)).toBe(30_000 + SHIFT_LAPSE_MS);
    expect(shiftEnd(shift, 30_001 + SHIFT_LAPSE_MS)).toBe(30_000);
  });

  it('gives clips per hour with and without idle time', () => {
    const s = summariseShift({
      shift: {
        id: 's1',
        pseudonym: 'rv-1',
        startedAt: 0,
        startReason: 'sign_in',
        endedAt: 3 * HOUR,
        endReason: 'sign_out',
        lastActivityAt: HOUR,
      },
      now: 3 * HOUR,
      // 120 clips of 15 s active each: half an hour of active work in three hours.
      clips: Array.from({ length: 120 }, (_, i) => clip(`c${i}`)),
      breaks: [],
      escalations: [],
    });
    expect(s.clipsPerHour).toBeCloseTo(40, 5);
    expect(s.idleMs).toBe(2.5 * HOUR);
    expect(s.clipsPerActiveHour).toBeCloseTo(240, 5);
  });
});
