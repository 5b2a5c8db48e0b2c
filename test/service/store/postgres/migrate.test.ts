import { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import {
  latestPgVersion,
  migratePg,
  PgSchemaTooNewError,
  pgSchemaVersion,
} from '../../../../service/store/postgres/migrate';
import type { PgMigration } from '../../../../service/store/postgres/migrations/types';
import { newTestPgDatabase } from '../../../support/test-store';

const toy: PgMigration[] = [
  { version: 1, name: 'one', sql: 'CREATE TABLE t1 (id INTEGER PRIMARY KEY); CREATE TABLE t2 (id INTEGER)' },
  { version: 2, name: 'two', sql: 'ALTER TABLE t2 ADD COLUMN note TEXT' },
];

describe('PostgreSQL migrations', () => {
  it('applies each pending migration once, even with several processes starting together', async () => {
    const url = await newTestPgDatabase();
    const starters = [0, 1, 2].map(() => new Pool({ connectionString: url, max: 2 }));
    try {
      const applied = await Promise.all(starters.map((p) => migratePg(p, toy)));
      expect(applied.flat().sort()).toEqual([1, 2]);
      expect(await pgSchemaVersion(starters[0] as Pool)).toBe(2);
      expect(await migratePg(starters[0] as Pool, toy)).toEqual([]);
      const cols = await (starters[0] as Pool).query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 't2' ORDER BY column_name",
      );
      expect(cols.rows.map((r) => r.column_name)).toEqual(['id', 'note']);
    } finally {
      await Promise.all(starters.map((p) => p.end()));
    }
  });

  it('rolls a failing migration back whole and keeps the version before it', async () => {
    const url = await newTestPgDatabase();
    const pool = new Pool({ connectionString: url, max: 2 });
    try {
      const broken: PgMigration[] = [
        toy[0] as PgMigration,
        { version: 2, name: 'bad', sql: 'CREATE TABLE t3 (id INTEGER); SELECT nope' },
      ];
      await expect(migratePg(pool, broken)).rejects.toThrow(/nope/);
      expect(await pgSchemaVersion(pool)).toBe(1);
      const t3 = await pool.query("SELECT to_regclass('t3') AS t");
      expect(t3.rows[0]).toEqual({ t: null });
    } finally {
      await pool.end();
    }
  });

  it('refuses a database from a newer build and changes nothing', async () => {
    const url = await newTestPgDatabase();
    const pool = new Pool({ connectionString: url, max: 2 });
    try {
      await migratePg(pool, toy);
      await expect(migratePg(pool, toy.slice(0, 1))).rejects.toBeInstanceOf(PgSchemaTooNewError);
      expect(await pgSchemaVersion(pool)).toBe(2);
      expect(latestPgVersion(toy)).toBe(2);
    } finally {
      await pool.end();
    }
  });
});
