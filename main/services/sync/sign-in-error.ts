/** How a failed sign-in is told to the reviewer: a code the sign-in screen maps to its own words. */
import { ServiceError } from '../service-error';
import { ServiceTrustError } from './service-trust';
import { SyncHttpError } from './sync-http';

/** A sign-in failure as the sign-in screen should show it. */
export function signInError(error: unknown): ServiceError {
  if (error instanceof ServiceTrustError) {
    return new ServiceError('SERVICE_UNTRUSTED', error.message);
  }
  if (error instanceof SyncHttpError) {
    if (error.code === 'enrolment_code_invalid') {
      return new ServiceError(
        'ENROLMENT_CODE_INVALID',
        'The enrolment code is wrong, used, expired or not for this account. Ask your operator for a new one.',
      );
    }
    if (error.code === 'too_many_devices') {
      return new ServiceError(
        'CONFLICT',
        'This account already has all the workstations it may; ask your operator to revoke one first.',
      );
    }
    if (error.status === 401) {
      return new ServiceError('BAD_CREDENTIALS', 'The account, password or one-time code is wrong.');
    }
    if (error.status === 429) {
      // Sign-in and enrolment-code limits alike: wait as long as the service says.
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

/** The service refused the enrolment code (wrong, used, too many tries, or no device left): the sign-in is void. */
export function enrolmentRefused(error: unknown): boolean {
  return (
    error instanceof SyncHttpError &&
    (error.code === 'enrolment_code_invalid' || error.code === 'too_many_devices' || error.status === 429)
  );
}
