/**
 * The one way the PostgreSQL store talks to its database: a {@link PgDb} runs statements on the
 * pool, or on one client inside a transaction, with the same two methods, so a repository is
 * written once and works both on its own and inside a unit of work.
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';

/** A place to run statements: the pool (each call on its own) or a client inside a transaction. */
export type PgDb = {
  /** Runs one statement and returns its rows. */
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: readonly unknown[]): Promise<R[]>;
  /** Runs one statement and returns how many rows it changed. */
  execute(text: string, values?: readonly unknown[]): Promise<number>;
  /**
   * Runs `work` atomically: on the pool, as a transaction on a client of its own (retried from
   * the start, up to {@link MAX_ATTEMPTS} times, when PostgreSQL ends it with a serialization
   * failure or a deadlock, so `work` must do nothing but statements); inside a transaction, as a
   * savepoint that is rolled back alone when `work` rejects.
   */
  atomic<T>(work: (db: PgDb) => Promise<T>): Promise<T>;
};

/** How often a transaction is tried before a serialization failure or deadlock is passed on. */
export const MAX_ATTEMPTS = 5;

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);

const sqlState = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/** Statement names by text: each text is hashed once. */
const names = new Map<string, string>();

/** How many distinct statement texts are prepared at most; any beyond run unnamed. */
export const MAX_PREPARED = 1_000;

/**
 * One statement as node-postgres takes it. A statement with parameters is named after its text,
 * so each connection prepares it once and later runs skip PostgreSQL's parse and plan. The
 * texts are the repositories' own constants (values always go in parameters), so the names are
 * a fixed set; {@link MAX_PREPARED} bounds them should that ever change.
 */
export function statement(text: string, values: readonly unknown[] | undefined): QueryConfig {
  if (values === undefined) {
    return { text };
  }
  let name = names.get(text);
  if (name === undefined && names.size < MAX_PREPARED) {
    name = `earmark_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    names.set(text, name);
  }
  return name === undefined ? { text, values: [...values] } : { name, text, values: [...values] };
}

/** A client already inside a transaction; `depth` names its savepoints. */
export function clientDb(client: PoolClient, depth = 0): PgDb {
  return {
    async query<R extends QueryResultRow>(text: string, values?: readonly unknown[]) {
      return (await client.query<R>(statement(text, values))).rows;
    },
    async execute(text, values) {
      return (await client.query(statement(text, values))).rowCount ?? 0;
    },
    async atomic(work) {
      const name = `earmark_sp_${depth}`;
      await client.query(`SAVEPOINT ${name}`);
      try {
        const value = await work(clientDb(client, depth + 1));
        await client.query(`RELEASE SAVEPOINT ${name}`);
        return value;
      } catch (error) {
        await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      }
    },
  };
}

/**
 * Runs `work` as one transaction on a client of the pool's own, committing when it resolves and
 * rolling back when it rejects; retried on a serialization failure or a deadlock.
 */
export async function inTransaction<T>(pool: Pool, work: (db: PgDb) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      try {
        const value = await work(clientDb(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          // The connection is gone; the server rolled the transaction back itself.
          broken = true;
        }
        if (attempt < MAX_ATTEMPTS && RETRYABLE.has(sqlState(error) ?? '')) {
          continue;
        }
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }
}

/** The pool: each call on its own, `atomic` a transaction. */
export function poolDb(pool: Pool): PgDb {
  return {
    async query<R extends QueryResultRow>(text: string, values?: readonly unknown[]) {
      return (await pool.query<R>(statement(text, values))).rows;
    },
    async execute(text, values) {
      return (await pool.query(statement(text, values))).rowCount ?? 0;
    },
    atomic: (work) => inTransaction(pool, work),
  };
}
