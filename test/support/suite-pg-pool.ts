/**
 * A throwaway PostgreSQL cluster of the suite's own and a pool of two connections on a new,
 * empty database in it: for a migration test, which starts from nothing and migrates step by
 * step. Call it in the suite's body; the pool is there from its first test and ends after its last.
 */
import { Pool } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { pgTypeConfig } from '../../service/store/postgres/service-store';
import { startPgCluster, type PgCluster } from './postgres';

export function suitePgPool(): () => Pool {
  let cluster: PgCluster | undefined;
  let pool: Pool | undefined;
  beforeAll(async () => {
    cluster = await startPgCluster();
    pool = new Pool({ connectionString: await cluster.createDatabase(), max: 2, types: pgTypeConfig });
    pool.on('error', () => undefined);
  });
  afterAll(async () => {
    await pool?.end();
    await cluster?.stop();
  });
  return () => {
    if (!pool) {
      throw new Error('The suite pool is used before its suite started.');
    }
    return pool;
  };
}
