/** What stopped a sync cycle, as the scheduler branches on it, with the facts the log keeps. */
import type { LogContext } from '../../log/logger';
import type { CycleFailure } from './scheduler';
import { SyncHttpError } from './sync-http';

/** A 401 asks for a new sign-in, a 429 waits for its Retry-After, anything else backs off. */
export function classifyFailure(error: unknown): { readonly failure: CycleFailure; readonly facts: LogContext } {
  if (error instanceof SyncHttpError && error.status === 401) {
    return { failure: { kind: 'signIn' }, facts: { code: error.code } };
  }
  if (error instanceof SyncHttpError && error.status === 429) {
    return { failure: { kind: 'rateLimited', retryAfterMs: error.retryAfterMs }, facts: { status: 429 } };
  }
  return {
    failure: { kind: 'unreachable' },
    facts: {
      failure: error instanceof SyncHttpError ? error.failure : 'internal',
      status: error instanceof SyncHttpError ? error.status : 0,
    },
  };
}
