/**
 * The work repositories of both stores, side by side, for tests that hold PostgreSQL to the
 * SQLite store's semantics: each backend gives the repositories and a way to make the accounts,
 * devices and team memberships they refer to.
 */
import { Pool } from 'pg';
import type { Repositories } from '../../../../service/store/repositories';
import { poolDb } from '../../../../service/store/postgres/db';
import { migratePg } from '../../../../service/store/postgres/migrate';
import { pgRepositories, pgTypeConfig } from '../../../../service/store/postgres/service-store';
import type { WorkRepositories } from '../../../../service/store/postgres/work-repositories';
import { openSqliteServiceStore } from '../../../../service/store/sqlite/service-store';
import type { PgCluster } from '../../../support/postgres';

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
  await migratePg(pool);
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
  return backendOver(
    pgRepositories(db),
    (work) => db.atomic((tx) => work(pgRepositories(tx))),
    () => pool.end(),
  );
}

export function sqliteWorkBackend(): WorkBackend {
  const store = openSqliteServiceStore(':memory:');
  return backendOver(
    store,
    (work) => store.transaction((tx: Repositories) => work(tx)),
    () => store.close(),
  );
}

/** The accounts, devices and teams the work tables refer to, made through the store's own repositories. */
function backendOver(
  repos: Repositories,
  transaction: <T>(work: (tx: Repositories) => Promise<T>) => Promise<T>,
  close: () => Promise<void>,
): WorkBackend {
  const teams = new Set<string>();
  return {
    repos,
    transaction,
    async addAccount(account, role = 'reviewer') {
      await repos.accounts.add({ account, pseudonym: `p-${account}`, role, passwordHash: 'scrypt$x', totpSecret: 'S' });
    },
    async addDevice(account, keyId) {
      await repos.devices.enrol(account, {
        keyId,
        encryptionKey: Buffer.alloc(32, 1),
        signingKey: Buffer.alloc(32, 2),
        enrolledAt: 0,
      });
    },
    async addToTeam(team, account) {
      if (!teams.has(team)) {
        teams.add(team);
        await repos.teams.create(team, 0, 'op');
      }
      await repos.teams.addMember({ team, account, role: 'member', at: 0, by: 'op' });
    },
    close,
  };
}
