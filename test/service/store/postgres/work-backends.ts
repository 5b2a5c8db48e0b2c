/**
 * The work repositories of both stores, side by side, for tests that hold PostgreSQL to the
 * SQLite store's semantics: each backend gives the repositories and a way to make the accounts,
 * devices and team memberships they refer to.
 *
 * STAND-IN: the PostgreSQL side runs on {@link identityStandIn}, a test-only version 1 with the
 * few identity columns the work tables reference or read. Delete it, and migrate with
 * `pgMigrations` and the identity repositories instead, once the identity migration is in.
 */
import { Pool } from 'pg';
import type { Repositories } from '../../../../service/store/repositories';
import { poolDb } from '../../../../service/store/postgres/db';
import { migratePg } from '../../../../service/store/postgres/migrate';
import { pgMigrations } from '../../../../service/store/postgres/migrations';
import type { PgMigration } from '../../../../service/store/postgres/migrations/types';
import { pgTypeConfig } from '../../../../service/store/postgres/service-store';
import { pgWorkRepositories, type WorkRepositories } from '../../../../service/store/postgres/work-repositories';
import { openSqliteServiceStore } from '../../../../service/store/sqlite/service-store';
import type { PgCluster } from '../../../support/postgres';

/** STAND-IN for the identity migration (version 1): delete once it lands. */
export const identityStandIn: PgMigration = {
  version: 1,
  name: 'identity-stand-in',
  sql: `
    CREATE TABLE accounts (account TEXT PRIMARY KEY, pseudonym TEXT NOT NULL UNIQUE);
    CREATE TABLE devices (
      account TEXT NOT NULL REFERENCES accounts (account),
      key_id  TEXT NOT NULL,
      PRIMARY KEY (account, key_id)
    );
    CREATE TABLE team_members (
      team    TEXT NOT NULL,
      account TEXT NOT NULL REFERENCES accounts (account),
      PRIMARY KEY (team, account)
    );
  `,
};

export type WorkBackend = {
  readonly repos: WorkRepositories;
  /** Runs `work` as one unit of work over the work repositories. */
  transaction<T>(work: (tx: WorkRepositories) => Promise<T>): Promise<T>;
  addAccount(account: string, role?: 'reviewer' | 'supervisor'): Promise<void>;
  addDevice(account: string, keyId: string): Promise<void>;
  addToTeam(team: string, account: string): Promise<void>;
  close(): Promise<void>;
};

/** A pool as the store makes it (BIGINT read as number), on a fresh database of `cluster`. */
export async function pgWorkPool(cluster: PgCluster, max = 4): Promise<{ url: string; pool: Pool }> {
  const url = await cluster.createDatabase();
  const pool = new Pool({ connectionString: url, max, statement_timeout: 30_000, types: pgTypeConfig });
  pool.on('error', () => undefined);
  await migratePg(pool, [identityStandIn, ...pgMigrations]);
  return { url, pool };
}

/** Another pool on the same database: what a second service process would have. */
export function pgSecondPool(url: string, max = 4): Pool {
  const pool = new Pool({ connectionString: url, max, statement_timeout: 30_000, types: pgTypeConfig });
  pool.on('error', () => undefined);
  return pool;
}

export async function pgWorkBackend(cluster: PgCluster): Promise<WorkBackend> {
  const { pool } = await pgWorkPool(cluster);
  const db = poolDb(pool);
  return {
    repos: pgWorkRepositories(db),
    transaction: (work) => db.atomic((tx) => work(pgWorkRepositories(tx))),
    async addAccount(account) {
      await pool.query('INSERT INTO accounts (account, pseudonym) VALUES ($1, $2)', [account, `p-${account}`]);
    },
    async addDevice(account, keyId) {
      await pool.query('INSERT INTO devices (account, key_id) VALUES ($1, $2)', [account, keyId]);
    },
    async addToTeam(team, account) {
      await pool.query('INSERT INTO team_members (team, account) VALUES ($1, $2)', [team, account]);
    },
    close: () => pool.end(),
  };
}

export function sqliteWorkBackend(): WorkBackend {
  const store = openSqliteServiceStore(':memory:');
  const teams = new Set<string>();
  return {
    repos: store,
    transaction: (work) => store.transaction((tx: Repositories) => work(tx)),
    async addAccount(account, role = 'reviewer') {
      await store.accounts.add({ account, pseudonym: `p-${account}`, role, passwordHash: 'scrypt$x', totpSecret: 'S' });
    },
    async addDevice(account, keyId) {
      await store.devices.enrol(account, {
        keyId,
        encryptionKey: Buffer.alloc(32, 1),
        signingKey: Buffer.alloc(32, 2),
        enrolledAt: 0,
      });
    },
    async addToTeam(team, account) {
      if (!teams.has(team)) {
        teams.add(team);
        await store.teams.create(team, 0, 'op');
      }
      await store.teams.addMember({ team, account, role: 'member', at: 0, by: 'op' });
    },
    close: () => store.close(),
  };
}
