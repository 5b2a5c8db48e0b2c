/**
 * Brings a database up to the schema this build expects, one migration per transaction, and
 * refuses a database written by a newer build rather than guessing at its shape.
 */
import type { Connection } from './connection';
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
export function schemaVersion(db: Connection): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The highest version in a migration list. */
export function latestVersion(migrations: readonly Migration[] = allMigrations): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/** Applies the pending migrations and returns the versions it applied. */
export function migrate(db: Connection, migrations: readonly Migration[] = allMigrations): number[] {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}.`);
    }
  });
  const current = schemaVersion(db);
  const latest = latestVersion(ordered);
  if (current > latest) {
    throw new SchemaTooNewError(current, latest);
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
