/**
 * The PostgreSQL store's pool settings take effect: the pool never holds more connections than
 * `poolSize` (checked against a role PostgreSQL itself limits to that many connections, so one
 * more is refused by the server, not counted by the test), and a statement running longer than
 * `statementTimeoutMs` is cancelled by the server while one under a longer limit goes on.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { ServiceStore } from '../../../../service/store/repositories';
import { openPostgresServiceStore } from '../../../../service/store/postgres/service-store';
import { newTestPgDatabase } from '../../../support/test-store';

/** More callers at once than any pool here holds connections. */
const CALLERS = 8;

/** Runs `sql` on the cluster's admin database. */
async function asAdmin(sql: string): Promise<void> {
  const admin = new Client({ connectionString: inject('earmarkPgAdminUrl') });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * A new database owned by a new role that PostgreSQL lets hold `limit` connections at most;
 * returns the URL that connects as that role.
 */
async function databaseForLimitedRole(limit: number): Promise<string> {
  const name = `earmark_limited_${randomBytes(6).toString('hex')}`;
  await asAdmin(`CREATE ROLE ${name} LOGIN CONNECTION LIMIT ${limit}`);
  await asAdmin(`CREATE DATABASE ${name} OWNER ${name}`);
  const url = new URL(inject('earmarkPgAdminUrl'));
  url.username = name;
  url.pathname = `/${name}`;
  return url.toString();
}

describe('PostgreSQL store pool settings', () => {
  const stores: ServiceStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  const open = async (...args: Parameters<typeof openPostgresServiceStore>): Promise<ServiceStore> => {
    const store = await openPostgresServiceStore(...args);
    stores.push(store);
    return store;
  };
  const manyAtOnce = (store: ServiceStore) =>
    Promise.allSettled(Array.from({ length: CALLERS }, (_, i) => store.accounts.find(`nobody-${i}`)));

  it('opens no more connections than the pool size, however many callers wait', async () => {
    const store = await open(await databaseForLimitedRole(2), { poolSize: 2 });
    const settled = await manyAtOnce(store);
    expect(settled.map((s) => s.status)).toEqual(Array<string>(CALLERS).fill('fulfilled'));
  });

  it('is refused by the same role with a pool one larger, so the limit would catch an overrun', async () => {
    const store = await open(await databaseForLimitedRole(2), { poolSize: 3 });
    const refused = (await manyAtOnce(store)).flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatch(/too many connections for role/);
  });

  it('migrates a new database and serves with a pool of one connection', async () => {
    // The migration holds its lock on one connection: it must not ask the pool for a second.
    const store = await open(await databaseForLimitedRole(1), { poolSize: 1 });
    expect(await store.readiness()).toMatchObject({ ok: true });
    const settled = await manyAtOnce(store);
    expect(settled.map((s) => s.status)).toEqual(Array<string>(CALLERS).fill('fulfilled'));
  });

  it('cancels a statement that runs longer than the statement timeout, and lets one under a longer timeout finish', async () => {
    const url = await newTestPgDatabase();
    const short = await open(url, { statementTimeoutMs: 100, poolSize: 2 });
    const long = await open(url, { statementTimeoutMs: 600_000, poolSize: 2 });
    // A transaction elsewhere holds the accounts table: every read of it waits until that ends.
    const holder = new Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE');
      let longSettled = false;
      const waiting = long.accounts.find('nobody').finally(() => {
        longSettled = true;
      });
      await expect(short.accounts.find('nobody')).rejects.toMatchObject({
        code: '57014',
        message: 'canceling statement due to statement timeout',
      });
      // Cancelled is the short one alone: the other still waits for the table.
      expect(longSettled).toBe(false);
      await holder.query('ROLLBACK');
      expect(await waiting).toBeUndefined();
    } finally {
      await holder.end();
    }
  });
});
