/**
 * Brings the service database up to the schema this build expects, one migration per
 * transaction, recording the version in SQLite's user_version. A database written by a newer
 * build is refused rather than guessed at.
 */
import type { Database } from 'better-sqlite3';
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

/** The schema version of an open database. */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The highest version in a migration list. */
export function latestVersion(migrations: readonly Migration[] = allMigrations): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/** Applies the pending migrations in order and returns the versions it applied. */
export function migrate(db: Database, migrations: readonly Migration[] = allMigrations): number[] {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}.`);
    }
  });
  const current = schemaVersion(db);
  const latest = latestVersion(ordered);
  if (current > latest) {
    throw new ServiceSchemaTooNewError(current, latest);
  }
  const applied: number[] = [];
  for (const m of ordered.filter((x) => x.version > current)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
