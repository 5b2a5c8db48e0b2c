/**
 * The service's store on PostgreSQL: a connection pool with statement timeouts, the schema
 * migrated on open, and units of work as transactions on a client of their own. Nothing lives in
 * the process: several service processes can share one database.
 */
import { Pool, types as pgTypes, type CustomTypesConfig, type PoolConfig } from 'pg';
import type { Repositories, ServiceStore } from '../repositories';
import { inTransaction, poolDb, type PgDb } from './db';
import { pgIdentityRepositories } from './identity-repositories';
import { latestPgVersion, migratePg, pgSchemaVersion } from './migrate';
import { unitDb } from './unit-guard';
import { pgWorkRepositories } from './work-repositories';

export type PgStoreOptions = {
  /** Connections in the pool (default 10). */
  readonly poolSize?: number;
  /** Any statement running longer is cancelled by the server (default 10 s). */
  readonly statementTimeoutMs?: number;
};

const INT8_OID = 20;

/**
 * BIGINT columns hold times in ms and sequence numbers: read them as numbers (pg's default is a
 * string), refusing any value a number cannot hold exactly rather than rounding it.
 */
export const pgTypeConfig: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') {
      return (text: string): number => {
        const n = Number(text);
        if (!Number.isSafeInteger(n)) {
          throw new RangeError(`A BIGINT value (${text}) is beyond what the service reads exactly.`);
        }
        return n;
      };
    }
    return pgTypes.getTypeParser(oid, format) as (text: string) => unknown;
  }) as CustomTypesConfig['getTypeParser'],
};

/** Every repository over one place to run statements. */
export const pgRepositories = (db: PgDb): Repositories => ({
  ...pgIdentityRepositories(db),
  ...pgWorkRepositories(db),
});

/** Opens the store at `url` (postgres://…), migrating its schema first. */
export async function openPostgresServiceStore(url: string, o: PgStoreOptions = {}): Promise<ServiceStore> {
  const config: PoolConfig = {
    connectionString: url,
    max: o.poolSize ?? 10,
    statement_timeout: o.statementTimeoutMs ?? 10_000,
    // A unit of work left open (a process stalled mid-transaction) must not hold locks for good.
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'earmark-service',
    types: pgTypeConfig,
  };
  const pool = new Pool(config);
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    await migratePg(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const repositories = pgRepositories(poolDb(pool));
  let closing: Promise<void> | null = null;
  return {
    ...repositories,
    transaction: (work) =>
      inTransaction(pool, async (db) => {
        const unit = unitDb(db);
        try {
          return await work(pgRepositories(unit.db));
        } finally {
          unit.end();
        }
      }),
    // PostgreSQL keeps no erased content in a log the service could empty; its WAL is the
    // operator's, archived by policy (see docs/deployment.md).
    checkpoint: () => Promise.resolve(),
    async readiness() {
      const expected = latestPgVersion();
      try {
        const schema = await pgSchemaVersion(pool);
        return { ok: schema === expected, schema, expected };
      } catch {
        return { ok: false, schema: 0, expected };
      }
    },
    close() {
      // pool.end waits for checked-out clients (units of work in progress) to be released.
      closing ??= pool.end();
      return closing;
    },
  };
}
