import { describe, expect, it } from 'vitest';
import { SHIFT_COLUMNS, shiftsCsv } from '../../../main/report/report-csv';
import type { ShiftReport } from '../../../shared/domain/timing';
import { goldFigures } from '../../../shared/timing/gold-figures';
import { reportSummary } from '../../support/report-summary';

describe('per-shift CSV gold columns', () => {
  const row = (csv: string, shiftId: string): Record<string, string> => {
    const line = csv.split('\r\n').find((l) => l.startsWith(`${shiftId},`)) ?? '';
    const values = line.split(',');
    return Object.fromEntries(SHIFT_COLUMNS.map((c, i) => [c, values[i] ?? '']));
  };

  it('fills them where the service scored the shift, and leaves them empty elsewhere', () => {
    const report: ShiftReport = {
      generatedAt: 0,
      summaries: [reportSummary('s-1', 'rv-a'), reportSummary('s-2', 'rv-b'), reportSummary('s-3', 'rv-c')],
      clips: [],
      breaks: [],
      escalations: [],
      gold: [
        {
          shiftId: 's-1',
          ...goldFigures([
            { referenceWords: 3, wordErrors: 1, dispositionAgreed: true },
            { referenceWords: 0, wordErrors: 0, dispositionAgreed: false },
          ]),
        },
        { shiftId: 's-2', ...goldFigures([]) },
      ],
    };
    const csv = shiftsCsv(report);
    const pick = (r: Record<string, string>) => [r['gold_clips'], r['gold_wer'], r['gold_disposition_agreement']];
    expect(pick(row(csv, 's-1'))).toEqual(['2', '0.3333', '0.5']);
    expect(pick(row(csv, 's-2'))).toEqual(['0', '', '']);
    expect(pick(row(csv, 's-3'))).toEqual(['', '', '']);
    const { gold: _gold, ...withoutGold } = report;
    expect(pick(row(shiftsCsv(withoutGold), 's-1'))).toEqual(['', '', '']);
  });
});
