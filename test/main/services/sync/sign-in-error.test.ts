import { describe, expect, it } from 'vitest';
import { signInError } from '../../../../main/services/sync/sign-in-error';
import { SyncHttpError } from '../../../../main/services/sync/sync-http';

describe('signInError', () => {
  it('tells refused credentials apart from everything else', () => {
    const error = signInError(new SyncHttpError('http', 401, 'unauthorized', 'Unauthorized'));
    expect(error.code).toBe('BAD_CREDENTIALS');
    expect(error.toAppError()).toEqual({ code: 'BAD_CREDENTIALS', message: error.message });
  });

  it('carries the wait after too many sign-ins as seconds, for the screen to say in its language', () => {
    const error = signInError(new SyncHttpError('http', 429, 'rate_limited', 'Too many', 90_000));
    expect(error.toAppError()).toEqual({
      code: 'RATE_LIMITED',
      message: 'Too many failed sign-ins. Try again in 2 minutes.',
      details: { retryAfterSeconds: 90 },
    });
  });

  it('assumes a minute when the service names no wait', () => {
    expect(signInError(new SyncHttpError('http', 429, null, 'Too many')).details).toEqual({ retryAfterSeconds: 60 });
  });
});
