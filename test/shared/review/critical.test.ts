import { describe, expect, it } from 'vitest';
import { withCriticalMarkers } from '../../../shared/review/critical';

describe('withCriticalMarkers', () => {
  const t = 'pay 4111 1111 to 22 acacia avenue now';

  it('replaces each span with its category marker', () => {
    expect(
      withCriticalMarkers(t, [
        { start: 4, end: 13, category: 'bank_card' },
        { start: 17, end: 33, category: 'address' },
      ]),
    ).toBe('pay [CRITICAL:bank_card] to [CRITICAL:address] now');
  });

  it('leaves a transcript with no spans unchanged', () => {
    expect(withCriticalMarkers(t, [])).toBe(t);
  });

  it('merges overlapping and touching spans of one category into one marker', () => {
    expect(
      withCriticalMarkers(t, [
        { start: 4, end: 8, category: 'bank_card' },
        { start: 6, end: 13, category: 'bank_card' },
      ]),
    ).toBe('pay [CRITICAL:bank_card] to 22 acacia avenue now');
    expect(
      withCriticalMarkers(t, [
        { start: 4, end: 8, category: 'bank_card' },
        { start: 8, end: 13, category: 'bank_card' },
      ]),
    ).toBe('pay [CRITICAL:bank_card] to 22 acacia avenue now');
  });

  it('never lets a word of a span through when categories overlap', () => {
    const out = withCriticalMarkers(t, [
      { start: 4, end: 10, category: 'bank_card' },
      { start: 9, end: 20, category: 'phone' },
    ]);
    expect(out).toBe('pay [CRITICAL:bank_card][CRITICAL:phone]acacia avenue now');
    expect(out).not.toMatch(/4111|1111|22/);
  });

  it('ignores spans outside the transcript rather than throwing', () => {
    expect(withCriticalMarkers('abc', [{ start: 2, end: 9, category: 'other' }])).toBe('abc');
  });
});
