/** How a failed sign-in is told to the reviewer: a code the sign-in screen maps to its own words. */
import { ServiceError } from '../service-error';
import { SyncHttpError } from './sync-http';

/** A sign-in failure as the sign-in screen should show it. */
export function signInError(error: unknown): ServiceError {
  if (error instanceof SyncHttpError) {
    if (error.status === 401) {
      return new ServiceError('BAD_CREDENTIALS', 'The account, password or one-time code is wrong.');
    }
    if (error.status === 429) {
      const retryAfterMs = error.retryAfterMs ?? 60_000;
      const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
      return new ServiceError(
        'RATE_LIMITED',
        `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
      );
    }
    if (error.failure === 'network') {
      return new ServiceError(
        'UNAVAILABLE',
        'The annotation service cannot be reached. Check the network and try again; your saved work is kept.',
      );
    }
    return new ServiceError(
      'UNAVAILABLE',
      `The annotation service could not sign you in (${error.status || error.failure}).`,
    );
  }
  return new ServiceError('INTERNAL', 'Sign-in failed.');
}
