import { describe, expect, it } from 'vitest';
import { dateTimeFormat, numberFormat } from '../../../renderer/i18n/intl';

describe('cached Intl formatters', () => {
  it('makes one number formatter per language and options, and reuses it', () => {
    const a = numberFormat('en', { minimumFractionDigits: 1 });
    expect(numberFormat('en', { minimumFractionDigits: 1 })).toBe(a);
    expect(numberFormat('en', { minimumFractionDigits: 2 })).not.toBe(a);
    expect(numberFormat('ro', { minimumFractionDigits: 1 })).not.toBe(a);
    expect(a.format(2)).toBe('2.0');
    expect(numberFormat('ro', { minimumFractionDigits: 1 }).format(2.5)).toBe('2,5');
  });

  it('formats dates in the language asked for', () => {
    const at = Date.UTC(2026, 11, 4, 15, 30);
    const en = dateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });
    expect(dateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' })).toBe(en);
    expect(en.format(at)).toBe('Dec 4, 2026');
    expect(dateTimeFormat('es', { dateStyle: 'medium', timeZone: 'UTC' }).format(at)).toBe('4 dic 2026');
  });
});
