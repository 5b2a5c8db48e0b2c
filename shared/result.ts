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
  /** The app is locked: unlock it first. */
  'LOCKED',
  /** The password or PIN typed to unlock is not right. */
  'WRONG_SECRET',
  /** The signed-in role may not do this (a reviewer asking for shift reports). */
  'FORBIDDEN_ROLE',
  /** A setting the administrator's policy decides. */
  'POLICY_PINNED',
  /** A batch package refused whole; `details` says why. */
  'PACKAGE_REFUSED',
  /** The annotation service refused the account, password or one-time code. */
  'BAD_CREDENTIALS',
  /** The annotation service refused the workstation's enrolment code (wrong, used, expired). */
  'ENROLMENT_CODE_INVALID',
  /** The annotation service's answer was not signed with the key this workstation trusts. */
  'SERVICE_UNTRUSTED',
  'EXPIRED',
  /** Consent for the clip was withdrawn: it was erased from this workstation. */
  'CONSENT_WITHDRAWN',
  /** Too many attempts: wait before trying again. */
  'RATE_LIMITED',
  'UNAVAILABLE',
  /** The disk is full: the write was not stored. */
  'STORAGE_FULL',
  /** The data folder cannot be written (read-only disk, permissions): the write was not stored. */
  'STORAGE_READONLY',
  /** The disk failed to read or write: the write was not stored. */
  'STORAGE_IO',
  /** The database file is damaged: Earmark stops writing to it. */
  'STORAGE_CORRUPT',
  'INTERNAL',
] as const;

/** A machine-readable reason for a failed call. */
export type ErrorCode = (typeof errorCodes)[number];

/** Why a batch package was refused, as far as the reviewer can act on it. */
export type PackageRefusal =
  | { readonly reason: 'expired'; readonly expiresAt: string }
  | { readonly reason: 'already_imported'; readonly batchId: string }
  | { readonly reason: 'other_workstation' }
  | { readonly reason: 'not_a_package' }
  /** Service mode: the service does not list the batch as this reviewer's, active: the next sync would erase it. */
  | { readonly reason: 'not_assigned'; readonly batchId: string }
  /** Service mode: another workstation holds the batch (or this one handed it over): the next sync would erase it. */
  | { readonly reason: 'held_elsewhere'; readonly batchId: string }
  /** Service mode, offline: the package assigns the batch to another reviewer. */
  | { readonly reason: 'assigned_elsewhere'; readonly batchId: string }
  /** Service mode: this workstation holds the batch for another reviewer (a shared workstation). */
  | { readonly reason: 'held_for_another_reviewer'; readonly batchId: string }
  /** Service mode, offline: the package names no reviewer, and the service cannot be asked. */
  | { readonly reason: 'no_assignment'; readonly batchId: string }
  /** Service mode with nobody signed in: whose batches to accept is not known yet. */
  | { readonly reason: 'sign_in_first' }
  /** Damaged, altered or malformed: nothing the reviewer can fix; the log has the details. */
  | { readonly reason: 'invalid' };

/**
 * The parameters a screen needs to say what went wrong in the reviewer's language, per code.
 * Codes not listed here carry no details.
 */
export type ErrorDetails = {
  readonly RATE_LIMITED: { readonly retryAfterSeconds: number };
  readonly PACKAGE_REFUSED: PackageRefusal;
};

/** The details a code may carry (`never` for a code that carries none). */
export type DetailsOf<C extends ErrorCode> = C extends keyof ErrorDetails ? ErrorDetails[C] : never;

/**
 * What a failed call tells its caller: a code to branch on, typed details for the words a screen
 * shows, and an English message for the log (screens show their own translated text, never it).
 */
export type AppError = {
  readonly [C in ErrorCode]: { readonly code: C; readonly message: string; readonly details?: DetailsOf<C> };
}[ErrorCode];

/** The outcome of an operation that can fail in an expected way. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

/** Builds an AppError, with its details only when there are some. */
export function appError<C extends ErrorCode>(code: C, message: string, details?: DetailsOf<C>): AppError {
  // TypeScript cannot relate a generic code to its member of the union; the signature ties them.
  return (details === undefined ? { code, message } : { code, message, details }) as AppError;
}

/** Wraps a value as a successful Result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failed Result. */
export function err<T = never, C extends ErrorCode = ErrorCode>(
  code: C,
  message: string,
  details?: DetailsOf<C>,
): Result<T> {
  return { ok: false, error: appError(code, message, details) };
}
