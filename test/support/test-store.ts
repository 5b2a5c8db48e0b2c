/**
 * The store the service suite runs on: SQLite by default, PostgreSQL when the vitest project sets
 * EARMARK_TEST_STORE=postgres (the `service-pg` project, whose global setup starts a cluster:
 * test/support/pg-global-setup.ts). Each store opened here is a fresh database of its own.
 */
import { inject } from 'vitest';
import type { ServiceStore } from '../../service/store/repositories';
import { openPostgresServiceStore } from '../../service/store/postgres/service-store';
import { openSqliteServiceStore } from '../../service/store/sqlite/service-store';
import { createDatabaseAt } from './postgres';

export type TestStoreKind = 'sqlite' | 'postgres';

/** Which store this test run uses. */
export const testStoreKind = (): TestStoreKind =>
  process.env.EARMARK_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** A new, empty PostgreSQL database on the run's cluster (only in the `service-pg` project). */
export function newTestPgDatabase(): Promise<string> {
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

/**
 * What the admin CLI opens for a data folder: on SQLite `service.db` in it, on PostgreSQL one
 * database per folder, the same each time the folder is opened again.
 */
export function testStoreOpener(): (dataDir: string) => Promise<ServiceStore> {
  const databases = new Map<string, Promise<string>>();
  return async (dataDir) => {
    if (testStoreKind() === 'sqlite') {
      return openSqliteServiceStore(`${dataDir}/service.db`);
    }
    let url = databases.get(dataDir);
    if (!url) {
      url = newTestPgDatabase();
      databases.set(dataDir, url);
    }
    return openPostgresServiceStore(await url, { poolSize: 4 });
  };
}
