import { describe, expect, it } from 'vitest';
import { migratePg, pgSchemaVersion } from '../../../../../service/store/postgres/migrate';
import { pgMigrations } from '../../../../../service/store/postgres/migrations';
import { suitePgPool } from '../../../../support/suite-pg-pool';

describe('PostgreSQL migration 9 (spent challenges)', () => {
  const pool = suitePgPool();

  it('keeps no issued challenge, which would read as spent, and keeps the expiry index', async () => {
    await migratePg(pool(), pgMigrations.slice(0, 8));
    // A challenge an earlier release issued and stored, not spent yet.
    await pool().query("INSERT INTO sign_in_challenges (challenge_hash, expires_at) VALUES ('\\x01', 5)");

    expect(await migratePg(pool(), pgMigrations.slice(0, 9))).toEqual([9]);
    expect(await pgSchemaVersion(pool())).toBe(9);
    expect((await pool().query('SELECT count(*)::int AS n FROM spent_challenges')).rows).toEqual([{ n: 0 }]);
    const names = await pool().query<{ name: string }>(
      "SELECT relname AS name FROM pg_class WHERE relname LIKE '%challenges%' ORDER BY relname",
    );
    expect(names.rows.map((r) => r.name)).toEqual([
      'spent_challenges',
      'spent_challenges_expiry',
      'spent_challenges_pkey',
    ]);
  });
});
