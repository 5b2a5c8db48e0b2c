/**
 * The one migration runner for Earmark's SQLite files, the app's and the reference service's:
 * numbered steps in ascending order (numbers may be skipped, so a number can be reserved for a
 * step still being written elsewhere), each applied in its own immediate transaction together
 * with the version it reaches (SQLite's user_version), and a file from a newer build refused
 * untouched.
 *
 * It names no driver: any handle with better-sqlite3's `pragma` and `transaction` shape will do,
 * so core/ stays free of the native module.
 */

/** What the runner needs of an open database. */
export type MigratableDb = {
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction(fn: () => void): { immediate(): void };
};

/** One schema step: its number and what it does to the database. */
export type Migration<Db> = {
  readonly version: number;
  readonly name: string;
  up(db: Db): void;
};

/** The schema version of an open database (SQLite's user_version). */
export function schemaVersion(db: MigratableDb): number {
  const version = db.pragma('user_version', { simple: true });
  if (typeof version !== 'number') {
    throw new Error(`SQLite answered user_version with ${typeof version}, not a number.`);
  }
  return version;
}

/** The highest version in a migration list. */
export function latestVersion(migrations: readonly Migration<never>[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/**
 * Applies the pending migrations and returns the versions it applied.
 * @param tooNew builds the error for a database from a newer build (found, supported)
 */
export function runMigrations<Db extends MigratableDb>(
  db: Db,
  migrations: readonly Migration<Db>[],
  tooNew: (found: number, supported: number) => Error,
): number[] {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((m, i) => {
    const previous = i === 0 ? 0 : (ordered[i - 1]?.version ?? 0);
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(`Migrations must have distinct whole numbers from 1; found ${m.version} after ${previous}.`);
    }
  });
  const current = schemaVersion(db);
  const latest = latestVersion(ordered);
  if (current > latest) {
    throw tooNew(current, latest);
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
