/**
 * Every IPC call answers with a Result: a rejected promise loses its error type when it
 * crosses the process boundary, a plain object does not.
 */
export const errorCodes = [
  'BAD_REQUEST',
  'FORBIDDEN_SENDER',
  'UNKNOWN_CHANNEL',
  'NOT_FOUND',
  'CONFLICT',
  'REFUSED',
  'EXPIRED',
  /** Too many attempts: wait before trying again. */
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

/** A machine-readable reason for a failed call. */
export type ErrorCode = (typeof errorCodes)[number];

/** What a failed call tells its caller: a code to branch on and a message to show. */
export type AppError = { readonly code: ErrorCode; readonly message: string };

/** The outcome of an operation that can fail in an expected way. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

/** Wraps a value as a successful Result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failed Result. */
export function err<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
