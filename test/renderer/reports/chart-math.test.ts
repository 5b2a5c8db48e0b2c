import { describe, expect, it } from 'vitest';
import type { ClipMetrics, ShiftReport, ShiftSummary } from '../../../shared/domain/timing';
import { dispositionMix, handleHistogram, niceMax, shiftMarks, throughput } from '../../../renderer/reports/chart-math';

const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 3, 8, 0);

const clip = (clipId: string, minute: number, handleS: number, o: Partial<ClipMetrics> = {}): ClipMetrics => ({
  shiftId: 's1',
  batchId: 'b1',
  clipId,
  revision: 1,
  submittedAt: T0 + minute * MIN,
  durationMs: 3_000,
  handleMs: handleS * 1_000,
  activeMs: handleS * 1_000,
  idleMs: 0,
  listenMs: 3_000,
  realTimeFactor: 1,
  plays: 1,
  replays: 0,
  seeks: 0,
  rateChanges: 0,
  edits: 0,
  firstEditMs: null,
  wer: 0,
  wordErrors: 0,
  referenceWords: 3,
  disposition: 'transcribed',
  critical: false,
  escalated: false,
  heardInFull: true,
  ...o,
});
const summary = (id: string, endedAt: number | null): ShiftSummary => ({
  shift: {
    id,
    pseudonym: `rv-${id}`,
    startedAt: T0,
    startReason: 'sign_in',
    endedAt,
    endReason: endedAt === null ? null : 'sign_out',
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
});
const report = (clips: ClipMetrics[], o: Partial<ShiftReport> = {}): ShiftReport => ({
  generatedAt: T0 + 600 * MIN,
  summaries: [summary('s1', T0 + 90 * MIN)],
  clips,
  breaks: [],
  escalations: [],
  ...o,
});

describe('chart math', () => {
  it('ends an axis at a round number', () => {
    expect([0, 1, 3, 7, 12, 55, 101].map(niceMax)).toEqual([1, 1, 5, 10, 20, 100, 200]);
  });

  it('counts clips per bucket since the shift started, each clip once at its first submit', () => {
    const t = throughput(
      report([clip('c1', 1, 10), clip('c2', 4, 10), clip('c1', 20, 5, { revision: 2 }), clip('c3', 89, 10)]),
    );
    expect(t.bucketMinutes).toBe(5);
    expect(t.bars).toHaveLength(18);
    expect(t.bars.map((b) => b.count)).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('picks wider buckets for a long shift', () => {
    const t = throughput(report([], { summaries: [summary('s1', T0 + 9 * 60 * MIN)] }));
    expect(t.bucketMinutes).toBe(30);
    expect(t.bars).toHaveLength(18);
  });

  it('bins handle times from zero in round widths', () => {
    expect(handleHistogram(report([clip('a', 1, 4), clip('b', 1, 12), clip('c', 1, 19.9), clip('d', 1, 41)]))).toEqual([
      { from: 0, to: 5, count: 1 },
      { from: 5, to: 10, count: 0 },
      { from: 10, to: 15, count: 1 },
      { from: 15, to: 20, count: 1 },
      { from: 20, to: 25, count: 0 },
      { from: 25, to: 30, count: 0 },
      { from: 30, to: 35, count: 0 },
      { from: 35, to: 40, count: 0 },
      { from: 40, to: 45, count: 1 },
    ]);
    expect(handleHistogram(report([]))).toEqual([]);
  });

  it('takes each clip’s latest disposition for the mix', () => {
    const mix = dispositionMix(
      report([
        clip('a', 1, 5),
        clip('a', 2, 5, { revision: 2, disposition: 'noise_only' }),
        clip('b', 3, 5, { disposition: 'tv_media' }),
      ]),
    );
    expect(mix.filter((m) => m.count > 0)).toEqual([
      { disposition: 'tv_media', count: 1 },
      { disposition: 'noise_only', count: 1 },
    ]);
  });

  it('places breaks taken and escalations on each shift, leaving declined suggestions out', () => {
    const marks = shiftMarks(
      report([], {
        breaks: [
          {
            id: 'k1',
            shiftId: 's1',
            trigger: 'manual',
            startedAt: T0 + 10 * MIN,
            endedAt: T0 + 15 * MIN,
            skipped: false,
          },
          {
            id: 'k2',
            shiftId: 's1',
            trigger: 'escalations',
            startedAt: T0 + 20 * MIN,
            endedAt: T0 + 20 * MIN,
            skipped: true,
          },
        ],
        escalations: [{ shiftId: 's1', at: T0 + 19 * MIN, category: 'other' }],
      }),
    );
    expect(marks).toEqual([
      {
        shiftId: 's1',
        pseudonym: 'rv-s1',
        startedAt: T0,
        durationMs: 90 * MIN,
        breaks: [{ from: 10 * MIN, to: 15 * MIN, suggested: false }],
        escalations: [19 * MIN],
      },
    ]);
  });
});
