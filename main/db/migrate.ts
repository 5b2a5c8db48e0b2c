/**
 * Brings a database up to the schema this build expects, one migration per transaction, and
 * refuses a database written by a newer build rather than guessing at its shape.
 */
import type { Connection } from './connection';
import {
  latestVersion as highestVersion,
  runMigrations,
  schemaVersion as readVersion,
} from '../../core/sqlite/migration-runner';
import { migrations as allMigrations } from './migrations';
import type { Migration } from './migrations/types';

/** Raised when the file on disk is from a newer Earmark than the one running. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The review database was written by a newer Earmark (schema ${found}; this build knows up to ${supported}). ` +
        'Install the newer version; nothing was changed.',
    );
  }
}

/** The schema version of an open database (SQLite's user_version). */
export const schemaVersion = (db: Connection): number => readVersion(db);

/** The highest version in a migration list. */
export const latestVersion = (migrations: readonly Migration[] = allMigrations): number => highestVersion(migrations);

/** Applies the pending migrations and returns the versions it applied. */
export function migrate(db: Connection, migrations: readonly Migration[] = allMigrations): number[] {
  return runMigrations(db, migrations, (found, supported) => new SchemaTooNewError(found, supported));
}
