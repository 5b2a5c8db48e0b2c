/**
 * The store the service suite runs on: SQLite by default, PostgreSQL when the vitest project sets
 * EARMARK_TEST_STORE=postgres (the `service-pg` project, whose global setup starts a cluster:
 * test/support/pg-global-setup.ts). Each store opened here is a fresh database of its own.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { ServiceStore } from '../../service/store/repositories';
import { openPostgresServiceStore, pgTypeConfig } from '../../service/store/postgres/service-store';
import { openSqliteServiceStore } from '../../service/store/sqlite/service-store';
import { createDatabaseAt } from './postgres';

export type TestStoreKind = 'sqlite' | 'postgres';

/** Which store this test run uses. */
export const testStoreKind = (): TestStoreKind =>
  process.env.EARMARK_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** A new, empty PostgreSQL database on the run's cluster (only in the `service-pg` project). */
export async function newTestPgDatabase(): Promise<string> {
  // Loaded only here, on the PostgreSQL run: the Playwright specs import this module too, and
  // vitest cannot be loaded outside its own runner.
  const { inject } = await import('vitest');
  return createDatabaseAt(inject('earmarkPgAdminUrl'));
}

/**
 * Opens a fresh store: on SQLite the file `sqliteFile` (a throwaway in-memory one when not
 * given), on PostgreSQL a new database.
 */
export async function openTestStore(sqliteFile = ':memory:'): Promise<ServiceStore> {
  if (testStoreKind() === 'postgres') {
    return openPostgresServiceStore(await newTestPgDatabase(), { poolSize: 4 });
  }
  return openSqliteServiceStore(sqliteFile);
}

/** Where one test store lives: its SQLite file, or its PostgreSQL database. */
export type TestStoreTarget = { readonly sqliteFile: string } | { readonly pgUrl: string };

/** A fresh target of this run's kind: `sqliteFile` on SQLite, a new database on PostgreSQL. */
export async function newTestStoreTarget(sqliteFile: string): Promise<TestStoreTarget> {
  return testStoreKind() === 'postgres' ? { pgUrl: await newTestPgDatabase() } : { sqliteFile };
}

/** Opens (creating and migrating) the store at `target`. */
export function openTestStoreAt(target: TestStoreTarget): Promise<ServiceStore> {
  return 'pgUrl' in target
    ? openPostgresServiceStore(target.pgUrl, { poolSize: 4 })
    : Promise.resolve(openSqliteServiceStore(target.sqliteFile));
}

/**
 * Runs one statement on the store at `target`, on a connection of its own, with `?` placeholders
 * on either store, and returns its rows (none for a statement that returns none). BIGINT values
 * come back as numbers, as SQLite gives them. For tests that read what the store holds, or change
 * it behind the service's back as an attacker or a restored backup would.
 */
export async function runOnTestStore<T>(
  target: TestStoreTarget,
  sql: string,
  params: readonly unknown[],
): Promise<T[]> {
  if ('sqliteFile' in target) {
    const db = new Database(target.sqliteFile, { fileMustExist: true });
    try {
      const statement = db.prepare<unknown[], T>(sql);
      if (statement.reader) {
        return statement.all(...params);
      }
      statement.run(...params);
      return [];
    } finally {
      db.close();
    }
  }
  let n = 0;
  const client = new Client({ connectionString: target.pgUrl, types: pgTypeConfig });
  await client.connect();
  try {
    return (
      await client.query(
        sql.replace(/\?/g, () => `$${(n += 1)}`),
        [...params],
      )
    ).rows as T[];
  } finally {
    await client.end();
  }
}

/** Opens the store of a data folder, and reads its tables directly. */
export type TestStoreOpener = {
  /**
   * What the admin CLI opens for a data folder: on SQLite `service.db` in it, on PostgreSQL one
   * database per folder, the same each time the folder is opened again.
   */
  (dataDir: string): Promise<ServiceStore>;
  /**
   * Runs one read-only statement on the folder's store, on a connection of its own, with `?`
   * placeholders on either store; BIGINT values come back as numbers, as SQLite gives them.
   */
  query<T>(dataDir: string, sql: string, ...params: unknown[]): Promise<T[]>;
};

export function testStoreOpener(): TestStoreOpener {
  const databases = new Map<string, Promise<string>>();
  const urlOf = (dataDir: string): Promise<string> => {
    let url = databases.get(dataDir);
    if (!url) {
      url = newTestPgDatabase();
      databases.set(dataDir, url);
    }
    return url;
  };
  const open = async (dataDir: string): Promise<ServiceStore> =>
    testStoreKind() === 'sqlite'
      ? openSqliteServiceStore(join(dataDir, 'service.db'))
      : openPostgresServiceStore(await urlOf(dataDir), { poolSize: 4 });
  const query = async <T>(dataDir: string, sql: string, ...params: unknown[]): Promise<T[]> =>
    runOnTestStore<T>(
      testStoreKind() === 'sqlite' ? { sqliteFile: join(dataDir, 'service.db') } : { pgUrl: await urlOf(dataDir) },
      sql,
      params,
    );
  return Object.assign(open, { query });
}
