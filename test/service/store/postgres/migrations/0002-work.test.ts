import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestPgVersion, pgSchemaVersion } from '../../../../../service/store/postgres/migrate';
import { startPgCluster, type PgCluster } from '../../../../support/postgres';
import { pgWorkPool } from '../work-backends';

describe('PostgreSQL migration 2 (work)', () => {
  let cluster: PgCluster;
  let pool: Pool;
  beforeAll(async () => {
    cluster = await startPgCluster();
    pool = (await pgWorkPool(cluster)).pool;
  });
  afterAll(async () => {
    await pool.end();
    await cluster.stop();
  });

  it('makes every work table, with one epoch row', async () => {
    expect(await pgSchemaVersion(pool)).toBe(latestPgVersion());
    const { rows } = await pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'annotation_revisions',
        'batch_clips',
        'batches',
        'checkouts',
        'clip_grants',
        'current_annotations',
        'escalation_responses',
        'escalation_states',
        'gold_clips',
        'gold_scores',
        'gold_uses',
        'inbox_settings',
        'listen_requests',
        'op_devices',
        'ops',
        'service_epoch',
        'timing_records',
      ]),
    );
    const epoch = await pool.query<{ epoch: string; changed_at: number }>(
      'SELECT epoch, changed_at FROM service_epoch',
    );
    expect(epoch.rows).toEqual([{ epoch: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown, changed_at: 0 }]);
  });

  it('orders ids byte by byte, as SQLite does, whatever the cluster locale', async () => {
    const { rows } = await pool.query<{ collation_name: string | null }>(
      `SELECT collation_name FROM information_schema.columns WHERE table_name = 'batch_clips' AND column_name = 'clip_id'`,
    );
    expect(rows).toEqual([{ collation_name: 'C' }]);
  });

  it('refuses a second holder of a batch and a revision below 1', async () => {
    await pool.query(`INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret)
       VALUES ('r', 'p-r', 'reviewer', 'scrypt$x', 'S')`);
    await pool.query(`INSERT INTO devices (account, key_id, encryption_key, signing_key, enrolled_at)
       VALUES ('r', 'k1', '\\x01', '\\x02', 0), ('r', 'k2', '\\x01', '\\x02', 0)`);
    await pool.query(
      "INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at) VALUES ('b', 'r', 'en', 0, 1)",
    );
    await pool.query("INSERT INTO checkouts (account, key_id, batch_id, at) VALUES ('r', 'k1', 'b', 0)");
    await expect(
      pool.query("INSERT INTO checkouts (account, key_id, batch_id, at) VALUES ('r', 'k2', 'b', 0)"),
    ).rejects.toThrow(/checkouts_one_holder/);
    await pool.query(
      `INSERT INTO ops (op_id, kind, account, payload_hash, payload, received_at, source, withdrawn)
       VALUES ('o', 'annotation', 'r', '\\x00', '{}', 0, 'online', false)`,
    );
    await expect(
      pool.query("INSERT INTO annotation_revisions (op_id, batch_id, clip_id, revision) VALUES ('o', 'b', 'c', 0)"),
    ).rejects.toThrow(/check/);
  });
});
