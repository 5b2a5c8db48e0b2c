import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../main/report/csv';

describe('CSV (RFC 4180)', () => {
  it('ends every record, the last one too, with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x'],
          [2, null],
        ],
      ),
    ).toBe('a,b\r\n1,x\r\n2,\r\n');
  });

  it('quotes fields holding a comma, a double quote, CR or LF, and doubles inner quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('plain')).toBe('plain');
  });

  it('writes numbers and booleans as they are and leaves null and non-finite numbers empty', () => {
    expect([
      csvField(0.25),
      csvField(-3),
      csvField(true),
      csvField(false),
      csvField(null),
      csvField(Number.NaN),
    ]).toEqual(['0.25', '-3', 'true', 'false', '', '']);
  });

  it('keeps text that a spreadsheet would run as a formula from running', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('+1')).toBe("'+1");
  });
});
