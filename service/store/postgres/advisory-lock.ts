/**
 * Transaction-scoped advisory locks: how the PostgreSQL store makes a check-then-act unit of work
 * (count, then add) as serial as SQLite's single writer makes it, for one key only. The lock is
 * taken by a statement of its own, so in READ COMMITTED the reads that follow see everything
 * committed by whoever held it before; it is released when the transaction ends.
 */
import type { PgDb } from './db';

/**
 * Waits for the lock named `key` (any text: a namespace and an id) until the current transaction
 * ends. Outside a transaction the lock ends with the statement, so call it inside one.
 */
export async function lockKey(db: PgDb, key: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}
