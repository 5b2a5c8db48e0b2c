import { appError, type AppError, type DetailsOf, type ErrorCode, type ErrorDetails } from '../../shared/result';

/** A code with its message and, for the codes that have them, its details: checked together. */
type ServiceErrorArgs = {
  [C in ErrorCode]: [code: C, message: string, details?: DetailsOf<C>];
}[ErrorCode];

/**
 * An expected failure a service reports to its caller. The IPC layer turns it into an error
 * Result with this code, message and details; any other exception becomes a generic INTERNAL
 * error. The message is English for the log; screens say it in their own words from the code.
 */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails[keyof ErrorDetails] | undefined;
  constructor(...[code, message, details]: ServiceErrorArgs) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** The error as it crosses IPC. */
  toAppError(): AppError {
    return appError(this.code, this.message, this.details);
  }
}
