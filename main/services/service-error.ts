import type { ErrorCode } from '../../shared/result';

/**
 * An expected failure a service reports to its caller. The IPC layer turns it into an error
 * Result with this code and message; any other exception becomes a generic INTERNAL error.
 */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
