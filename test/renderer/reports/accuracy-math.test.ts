import { describe, expect, it } from 'vitest';
import type { ShiftReport } from '../../../shared/domain/timing';
import { goldFigures } from '../../../shared/timing/gold-figures';
import { accuracyPoints, plotted } from '../../../renderer/reports/accuracy-math';
import { reportSummary } from '../../support/report-summary';

const HOUR = 3_600_000;

const report = (o: Partial<ShiftReport> = {}): ShiftReport => ({
  generatedAt: 0,
  summaries: [
    reportSummary('s-1', 'rv-b', { workMs: HOUR, clipsDone: 100 }),
    reportSummary('s-2', 'rv-a', { workMs: 2 * HOUR, clipsDone: 90 }),
    reportSummary('s-3', 'rv-b', { workMs: HOUR, clipsDone: 60 }),
    reportSummary('s-4', 'rv-c', { workMs: 30_000, clipsDone: 1 }),
  ],
  clips: [],
  breaks: [],
  escalations: [],
  ...o,
});

describe('accuracy against speed', () => {
  it('gives each reviewer one point: clips per hour over their shifts and their pooled gold figures', () => {
    const gold = [
      { shiftId: 's-1', ...goldFigures([{ referenceWords: 10, wordErrors: 1, dispositionAgreed: true }]) },
      { shiftId: 's-3', ...goldFigures([{ referenceWords: 30, wordErrors: 7, dispositionAgreed: false }]) },
    ];
    const points = accuracyPoints(report({ gold }));
    expect(points.map((p) => [p.reviewer, p.shifts, p.clipsPerHour])).toEqual([
      ['rv-a', 1, 45],
      ['rv-b', 2, 80],
      ['rv-c', 1, null],
    ]);
    const b = points.find((p) => p.reviewer === 'rv-b');
    expect([b?.gold.clips, b?.gold.wer, b?.gold.dispositionAgreement]).toEqual([2, 0.2, 0.5]);
    // Only a reviewer with a speed and a gold WER is drawn; the others are in the table.
    expect(points.filter(plotted).map((p) => p.reviewer)).toEqual(['rv-b']);
  });

  it('reads a report without gold figures (a workstation’s own) as no gold clips', () => {
    const points = accuracyPoints(report());
    expect(points.every((p) => p.gold.clips === 0 && p.gold.wer === null)).toBe(true);
    expect(points.filter(plotted)).toEqual([]);
  });
});
