/**
 * The store the service suite runs on: SQLite by default, PostgreSQL when the vitest project sets
 * EARMARK_TEST_STORE=postgres (the `service-pg` project, whose global setup starts a cluster:
 * test/support/pg-global-setup.ts). Each store opened here is a fresh database of its own.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client, types as pgTypes, type CustomTypesConfig } from 'pg';
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
  const query = async <T>(dataDir: string, sql: string, ...params: unknown[]): Promise<T[]> => {
    if (testStoreKind() === 'sqlite') {
      const db = new Database(join(dataDir, 'service.db'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare<unknown[], T>(sql).all(...params);
      } finally {
        db.close();
      }
    }
    let n = 0;
    const client = new Client({ connectionString: await urlOf(dataDir), types: { getTypeParser } });
    await client.connect();
    try {
      return (
        await client.query(
          sql.replace(/\?/g, () => `$${(n += 1)}`),
          params,
        )
      ).rows as T[];
    } finally {
      await client.end();
    }
  };
  return Object.assign(open, { query });
}

const INT8_OID = 20;

/** BIGINT as a number, as the store reads it (service/store/postgres/service-store.ts). */
const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === INT8_OID && format !== 'binary'
    ? (text: string) => Number(text)
    : (pgTypes.getTypeParser(oid, format) as (text: string) => unknown)) as CustomTypesConfig['getTypeParser'];
