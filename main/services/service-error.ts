import { appError, type AppError, type DetailsOf, type ErrorCode } from '../../shared/result';

/**
 * An expected failure a service reports to its caller. The IPC layer turns it into an error
 * Result with this code, message and details; any other exception becomes a generic INTERNAL
 * error. The message is English for the log; screens say it in their own words from the code.
 */
export class ServiceError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly code: C,
    message: string,
    readonly details?: DetailsOf<C>,
  ) {
    super(message);
  }

  /** The error as it crosses IPC. */
  toAppError(): AppError {
    return appError(this.code, this.message, this.details);
  }
}
