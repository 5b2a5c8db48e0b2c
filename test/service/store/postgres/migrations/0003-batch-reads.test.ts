import { describe, expect, it } from 'vitest';
import { migratePg, pgSchemaVersion } from '../../../../../service/store/postgres/migrate';
import { pgMigrations } from '../../../../../service/store/postgres/migrations';
import { suitePgPool } from '../../../../support/suite-pg-pool';

describe('PostgreSQL migration 3 (batch reads)', () => {
  const pool = suitePgPool();

  it('counts the clips of batches made before it, and reads withdrawn clips from an index of their own', async () => {
    await migratePg(pool(), pgMigrations.slice(0, 2));
    await pool().query(`INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret)
       VALUES ('r', 'p-r', 'reviewer', 'scrypt$x', 'S')`);
    await pool().query(`INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at)
       VALUES ('b1', 'r', 'en', 0, 1), ('b2', 'r', 'en', 0, 1)`);
    await pool().query(`INSERT INTO batch_clips (batch_id, clip_id, ordinal, details, withdrawn)
       SELECT 'b1', 'c' || n, n, '{}', n = 2 FROM generate_series(0, 4) AS n`);

    expect(await migratePg(pool(), pgMigrations.slice(0, 3))).toEqual([3]);
    expect(await pgSchemaVersion(pool())).toBe(3);
    const counts = await pool().query<{ batch_id: string; clip_count: number }>(
      'SELECT batch_id, clip_count FROM batches ORDER BY batch_id',
    );
    expect(counts.rows).toEqual([
      { batch_id: 'b1', clip_count: 5 },
      { batch_id: 'b2', clip_count: 0 },
    ]);
    const index = await pool().query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE indexname = 'batch_clips_withdrawn'",
    );
    expect(index.rows[0]?.indexdef).toMatch(/\(batch_id, ordinal\) WHERE withdrawn/);
  });
});
