import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../../main/app/origin';
import { isSameOrigin } from '../../../main/ipc/origin';

describe('isSameOrigin', () => {
  it('matches scheme and host', () => {
    expect(isSameOrigin('app://earmark/a/b?c#d', APP_ORIGIN)).toBe(true);
  });

  it.each([
    undefined,
    '',
    'not a url',
    'app://earmark.evil/x',
    'https://earmark/',
    'app://u:p@earmark/',
    'app://earmark:1/',
  ])('rejects %s', (url) => {
    expect(isSameOrigin(url, APP_ORIGIN)).toBe(false);
  });
});
