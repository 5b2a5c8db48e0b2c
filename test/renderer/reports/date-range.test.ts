import { describe, expect, it } from 'vitest';
import { dateInput, lastDateOf, startOfDate, windowOf } from '../../../renderer/reports/date-range';

describe('report filter dates', () => {
  it('reads inclusive local dates as a window that ends at the next midnight', () => {
    const w = windowOf('2025-03-01', '2025-03-07');
    expect(w?.from).toBe(new Date(2025, 2, 1).getTime());
    expect(w?.to).toBe(new Date(2025, 2, 8).getTime());
    expect(lastDateOf(w?.to ?? 0)).toBe('2025-03-07');
    expect(dateInput(w?.from ?? 0)).toBe('2025-03-01');
  });

  it('refuses text that is not a date and a window that ends before it starts', () => {
    expect(startOfDate('03/01/2025')).toBeNull();
    expect(windowOf('2025-03-08', '2025-03-07')).toBeNull();
    expect(windowOf('2025-03-07', '2025-03-07')).not.toBeNull();
  });
});
