import { describe, expect, it } from 'vitest';
import { inertText } from '../../../core/package/inert-text';

describe('inert text for messages', () => {
  it('escapes terminal controls, C1 controls and bidirectional overrides', () => {
    expect(inertText('a\u001b[31mb\u0000c\u007f\u009bd')).toBe('a\\u001b[31mb\\u0000c\\u007f\\u009bd');
    expect(inertText('clip\u202egpj.exe \u2066x\u2069 \u200f')).toBe('clip\\u202egpj.exe \\u2066x\\u2069 \\u200f');
    expect(inertText('one\u2028two\nthree')).toBe('one\\u2028two\\u000athree');
  });

  it('leaves ordinary text of any script alone', () => {
    const text = 'Clip id "c-AAAAAAAAAAAAAAA1" — résumé, 日本語, עברית, العربية ✓';
    expect(inertText(text)).toBe(text);
  });
});
