import { describe, expect, it } from 'vitest';
import { entityTypePattern } from '../../../shared/domain/annotation';
import { insertTagPattern } from '../../../shared/settings/setting-limits';
import { formatList, parseList } from '../../../renderer/settings/list-input';

describe('list fields', () => {
  it('read entries separated by spaces, commas or both', () => {
    expect(parseList(' [noise],[tv]  [music] ,\n[ruido]', insertTagPattern, 20)).toEqual({
      ok: true,
      items: ['[noise]', '[tv]', '[music]', '[ruido]'],
    });
  });

  it('show a list as they read it back', () => {
    const items = ['artist', 'song'];
    expect(parseList(formatList(items), entityTypePattern, 30)).toEqual({ ok: true, items });
  });

  it.each([
    ['  , ', { problem: 'empty' }],
    ['[noise] noise', { problem: 'invalid', item: 'noise' }],
    ['[noise] [Noise]', { problem: 'invalid', item: '[Noise]' }],
    ['[tv] [music] [tv]', { problem: 'duplicate', item: '[tv]' }],
    ['[a] [b] [c]', { problem: 'tooMany' }],
  ])('refuse %j', (text, problem) => {
    expect(parseList(text, insertTagPattern, 2)).toEqual({ ok: false, ...problem });
  });
});
