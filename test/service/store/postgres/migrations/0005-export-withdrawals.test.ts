import { describe, expect, it } from 'vitest';
import { migratePg, pgSchemaVersion } from '../../../../../service/store/postgres/migrate';
import { pgMigrations } from '../../../../../service/store/postgres/migrations';
import { pgMigration0005 } from '../../../../../service/store/postgres/migrations/0005-export-withdrawals';
import { OPS_LOCK } from '../../../../../service/store/postgres/op.repository';
import { suitePgPool } from '../../../../support/suite-pg-pool';

describe('PostgreSQL migration 5 (withdrawals in the export)', () => {
  const pool = suitePgPool();

  it('numbers each clip withdrawn before it after every op stored, and the next op after those', async () => {
    await migratePg(pool(), pgMigrations.slice(0, 4));
    await pool().query(`INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret)
       VALUES ('r', 'p-r', 'reviewer', 'scrypt$x', 'S')`);
    await pool().query(`INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at)
       VALUES ('b1', 'r', 'en', 0, 1)`);
    await pool().query(`INSERT INTO batch_clips (batch_id, clip_id, ordinal, details, withdrawn)
       SELECT 'b1', 'c' || n, n, '{}', n IN (1, 3) FROM generate_series(0, 4) AS n`);
    const op = (id: string) =>
      pool().query<{ seq: number }>(
        `INSERT INTO ops (op_id, kind, account, payload_hash, payload, received_at, source, withdrawn)
         VALUES ($1, 'audit', 'r', '\\x00', '{}', 0, 'online', false) RETURNING seq`,
        [id],
      );
    await op('op-1');
    await op('op-2');

    expect(await migratePg(pool(), pgMigrations.slice(0, 5))).toEqual([5]);
    expect(await pgSchemaVersion(pool())).toBe(5);
    const rows = await pool().query('SELECT seq, batch_id, clip_id FROM clip_withdrawals ORDER BY seq');
    expect(rows.rows).toEqual([
      { seq: 3, batch_id: 'b1', clip_id: 'c1' },
      { seq: 4, batch_id: 'b1', clip_id: 'c3' },
    ]);
    expect((await op('op-3')).rows[0]?.seq).toBe(5);
  });

  it("takes the ops' own lock, so no seq drawn by a writer commits after a later withdrawal", () => {
    expect(pgMigration0005.sql).toContain(`pg_advisory_xact_lock(${OPS_LOCK})`);
  });
});
