/**
 * What a failed write says about the disk. SQLite's result codes (better-sqlite3 puts them on
 * the error as `code`, extended codes included: SQLITE_IOERR_WRITE…) and the file system's errno
 * codes name the cause; each maps to the error code the reviewer is told, instead of a generic
 * failure that would claim the work is safe when it was not stored.
 */
import type { ErrorCode } from '../../shared/result';

export type StorageErrorCode = Extract<ErrorCode, `STORAGE_${string}`>;

const byPrefix: readonly (readonly [string, StorageErrorCode])[] = [
  ['SQLITE_FULL', 'STORAGE_FULL'],
  ['SQLITE_READONLY', 'STORAGE_READONLY'],
  ['SQLITE_CANTOPEN', 'STORAGE_READONLY'],
  ['SQLITE_PERM', 'STORAGE_READONLY'],
  ['SQLITE_IOERR', 'STORAGE_IO'],
  ['SQLITE_CORRUPT', 'STORAGE_CORRUPT'],
  ['SQLITE_NOTADB', 'STORAGE_CORRUPT'],
];

const byErrno: Readonly<Record<string, StorageErrorCode>> = {
  ENOSPC: 'STORAGE_FULL',
  EDQUOT: 'STORAGE_FULL',
  EROFS: 'STORAGE_READONLY',
  EACCES: 'STORAGE_READONLY',
  EPERM: 'STORAGE_READONLY',
  EIO: 'STORAGE_IO',
};

/** The storage failure `error` reports, or undefined when it is not one. */
export function storageErrorCode(error: unknown): StorageErrorCode | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    return undefined;
  }
  return byPrefix.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))?.[1] ?? byErrno[code];
}

/** English for the log, per cause; screens say it in the reviewer's language from the code. */
export const storageMessages: Readonly<Record<StorageErrorCode, string>> = {
  STORAGE_FULL: 'The disk is full: this was not stored.',
  STORAGE_READONLY: 'The data folder cannot be written: this was not stored.',
  STORAGE_IO: 'The disk failed to read or write: this was not stored.',
  STORAGE_CORRUPT: 'The review database is damaged: Earmark stops writing to it.',
};
