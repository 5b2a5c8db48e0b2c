import { describe, expect, it } from 'vitest';
import { isNavigationAllowed, isRequestAllowed } from '../../../main/app/navigation';
import { APP_ORIGIN } from '../../../main/app/origin';

describe('isNavigationAllowed', () => {
  it('allows in-app routes and refuses everything else', () => {
    expect(isNavigationAllowed('app://earmark/batches', APP_ORIGIN)).toBe(true);
    expect(isNavigationAllowed('https://example.com', APP_ORIGIN)).toBe(false);
    expect(isNavigationAllowed('javascript:alert(1)', APP_ORIGIN)).toBe(false);
  });
});

describe('isRequestAllowed', () => {
  it('allows our origin and in-memory URLs', () => {
    expect(isRequestAllowed('app://earmark/index.html', APP_ORIGIN)).toBe(true);
    expect(isRequestAllowed('blob:app://earmark/1234', APP_ORIGIN)).toBe(true);
  });

  it('refuses remote and local files', () => {
    expect(isRequestAllowed('https://example.com', APP_ORIGIN)).toBe(false);
    expect(isRequestAllowed('file:///etc/passwd', APP_ORIGIN)).toBe(false);
  });

  it('refuses a dev server that was not configured', () => {
    expect(isRequestAllowed('http://localhost:5173/', APP_ORIGIN)).toBe(false);
    expect(isRequestAllowed('http://localhost:5173/', APP_ORIGIN, 'http://localhost:5173')).toBe(true);
  });
});
