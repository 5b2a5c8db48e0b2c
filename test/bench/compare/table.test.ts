import { describe, expect, it } from 'vitest';
import { formatComparison, formatNumber } from '../../../bench/compare/table';
import { compareFigures } from '../../../bench/compare/verdict';

describe('formatNumber', () => {
  it('keeps three significant digits, whole numbers from a thousand up', () => {
    expect(formatNumber(0.05123)).toBe('0.0512');
    expect(formatNumber(82.24)).toBe('82.2');
    expect(formatNumber(11485.4)).toBe('11485');
  });
});

describe('formatComparison', () => {
  it('shows a missing side as a dash and a flagged difference in capitals', () => {
    const rows = compareFigures(
      [{ a_ms: 1 }, { a_ms: 1.2 }],
      [
        { a_ms: 2, b_ms: 3 },
        { a_ms: 2.2, b_ms: 3 },
      ],
    );
    const lines = formatComparison(rows, 'HEAD', 'REF').split('\n');
    expect(lines[0]).toMatch(/^figure\s+HEAD\s+REF\s+ratio\s+verdict$/);
    expect(lines[1]).toMatch(/^a_ms\s+↓\s+1\.1 \(1–1\.2\)\s+2\.1 \(2–2\.2\)\s+0\.524\s+BETTER$/);
    expect(lines[2]).toMatch(/^b_ms\s+↓\s+—\s+3\s+—\s+missing$/);
  });
});
