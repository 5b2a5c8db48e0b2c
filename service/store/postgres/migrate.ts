/**
 * Brings a PostgreSQL database up to this build's schema. Several service processes may start
 * at once, so the run holds a session advisory lock: one migrates, the others wait and then find
 * nothing to do. Each migration commits with its row in `earmark_migrations`; a database written
 * by a newer build is refused rather than guessed at.
 */
import type { Pool, PoolClient } from 'pg';
import { clientDb } from './db';
import { pgMigrations } from './migrations';
import type { PgMigration } from './migrations/types';

/** Any fixed 64-bit number; it only has to be the same in every process of this service. */
const MIGRATION_LOCK = 0x4541_524d_4b01;

/** Raised when the database is from a newer service than the one running. */
export class PgSchemaTooNewError extends Error {
  override readonly name = 'PgSchemaTooNewError';
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The PostgreSQL database has schema ${found}, but this build of the service knows only up to ${supported}. ` +
        'Run a newer build, or point --database at another database; nothing was changed.',
    );
  }
}

/** The highest version in a migration list. */
export const latestPgVersion = (migrations: readonly PgMigration[] = pgMigrations): number =>
  migrations.reduce((m, x) => Math.max(m, x.version), 0);

/** The schema version recorded in the database (0 before the first migration). */
export async function pgSchemaVersion(pool: Pool | PoolClient): Promise<number> {
  const { rows } = await pool.query<{ v: number | null }>(
    `SELECT CASE WHEN to_regclass('earmark_migrations') IS NULL THEN 0
            ELSE (SELECT coalesce(max(version), 0) FROM earmark_migrations) END AS v`,
  );
  return rows[0]?.v ?? 0;
}

/** Runs one migration and records it, in one transaction on the connection holding the lock. */
async function applyOne(client: PoolClient, m: PgMigration): Promise<void> {
  await client.query('BEGIN');
  try {
    const db = clientDb(client);
    await db.execute(m.sql);
    await db.execute('INSERT INTO earmark_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Applies the pending migrations and returns the versions it applied. Everything runs on the one
 * connection that holds the lock, so a pool of one connection migrates too.
 */
export async function migratePg(pool: Pool, migrations: readonly PgMigration[] = pgMigrations): Promise<number[]> {
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await lock.query(
      `CREATE TABLE IF NOT EXISTS earmark_migrations (
         version    INTEGER PRIMARY KEY,
         name       TEXT NOT NULL,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
    );
    const found = await pgSchemaVersion(lock);
    const supported = latestPgVersion(migrations);
    if (found > supported) {
      throw new PgSchemaTooNewError(found, supported);
    }
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= found) {
        continue;
      }
      await applyOne(lock, m);
      applied.push(m.version);
    }
    return applied;
  } finally {
    try {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    } finally {
      lock.release();
    }
  }
}
