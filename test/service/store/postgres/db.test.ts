import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientDb, statement } from '../../../../service/store/postgres/db';
import { startPgCluster, type PgCluster } from '../../../support/postgres';

describe('PostgreSQL statements', () => {
  let cluster: PgCluster;
  let pool: Pool;
  beforeAll(async () => {
    cluster = await startPgCluster();
    pool = new Pool({ connectionString: await cluster.createDatabase(), max: 1 });
    pool.on('error', () => undefined);
  });
  afterAll(async () => {
    await pool.end();
    await cluster.stop();
  });

  it('names a statement with parameters after its text, and leaves one without unnamed', () => {
    const a = statement('SELECT $1::int AS n', [1]);
    expect(a.name).toMatch(/^earmark_[0-9a-f]{32}$/);
    expect(statement('SELECT $1::int AS n', [2]).name).toBe(a.name);
    expect(statement('SELECT $1::int + 1 AS n', [1]).name).not.toBe(a.name);
    expect(statement('BEGIN', undefined)).toEqual({ text: 'BEGIN' });
  });

  it('prepares a statement once per connection however often it runs', async () => {
    const client = await pool.connect();
    try {
      const db = clientDb(client);
      const text = 'SELECT $1::int * 2 AS n';
      for (const v of [1, 2, 3]) {
        expect(await db.query<{ n: number }>(text, [v])).toEqual([{ n: v * 2 }]);
      }
      const prepared = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1',
        [text],
      );
      expect(prepared.rows).toEqual([{ n: '1' }]);
    } finally {
      client.release();
    }
  });
});
