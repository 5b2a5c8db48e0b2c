/**
 * Brings the service database up to the schema this build expects, one migration per
 * transaction, recording the version in SQLite's user_version. A database written by a newer
 * build is refused rather than guessed at.
 */
import type { Database } from 'better-sqlite3';
import {
  latestVersion as highestVersion,
  runMigrations,
  schemaVersion as readVersion,
} from '../../../core/sqlite/migration-runner';
import { migrations as allMigrations } from './migrations';
import type { Migration } from './migrations/types';

/** Raised when the database on disk is from a newer service than the one running. */
export class ServiceSchemaTooNewError extends Error {
  override readonly name = 'ServiceSchemaTooNewError';
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The service database has schema ${found}, but this build of the reference service knows only up to ${supported}. ` +
        'Run a newer build, or point --data at another folder; nothing was changed.',
    );
  }
}

/** The schema version of an open database (SQLite's user_version). */
export const schemaVersion = (db: Database): number => readVersion(db);

/** The highest version in a migration list. */
export const latestVersion = (migrations: readonly Migration[] = allMigrations): number => highestVersion(migrations);

/** Applies the pending migrations and returns the versions it applied. */
export function migrate(db: Database, migrations: readonly Migration[] = allMigrations): number[] {
  return runMigrations(db, migrations, (found, supported) => new ServiceSchemaTooNewError(found, supported));
}
