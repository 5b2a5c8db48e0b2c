/**
 * The store-wide upload slots in PostgreSQL: a claim is one transaction under an advisory lock,
 * so claims from every process on the database run one after the other and each sees the
 * leases the one before it took. Processes on several hosts share the database, and their clocks
 * may differ: leases are judged by the database's clock alone (`clock_timestamp()`, read once the
 * lock is held), so a process whose clock runs fast cannot drop another's live lease.
 */
import { freeSlotFor, type UploadSlotLease, type UploadSlotRepository } from '../upload-slot-repository';
import { lockKey } from './advisory-lock';
import type { PgDb } from './db';

type Row = { slot: number; holder: string; account: string; expires_at: number };

const SELECT_HELD = 'SELECT slot, holder, account, expires_at FROM large_upload_slots ORDER BY slot';
/** The database's clock now, in milliseconds since the epoch (as the service stores times). */
const DB_NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

export function pgUploadSlotRepository(db: PgDb): UploadSlotRepository {
  return {
    acquire: (c) =>
      db.atomic(async (tx) => {
        await lockKey(tx, 'large-upload-slots');
        const [clock] = await tx.query<{ now: number }>(`SELECT ${DB_NOW_MS} AS now`);
        const now = clock?.now ?? 0;
        await tx.execute('DELETE FROM large_upload_slots WHERE expires_at <= $1', [now]);
        const slot = freeSlotFor(await tx.query<Row>(SELECT_HELD), c);
        if (typeof slot !== 'number') {
          return slot;
        }
        await tx.execute('INSERT INTO large_upload_slots (slot, holder, account, expires_at) VALUES ($1, $2, $3, $4)', [
          slot,
          c.holder,
          c.account,
          now + c.leaseMs,
        ]);
        return 'taken';
      }),
    async renew(r) {
      const sql = `UPDATE large_upload_slots SET expires_at = ${DB_NOW_MS} + $2 WHERE holder = $1`;
      return (await db.execute(sql, [r.holder, r.leaseMs])) === 1;
    },
    async release(holder) {
      return (await db.execute('DELETE FROM large_upload_slots WHERE holder = $1', [holder])) === 1;
    },
    async list(): Promise<UploadSlotLease[]> {
      return (await db.query<Row>(SELECT_HELD)).map((r) => ({
        slot: r.slot,
        holder: r.holder,
        account: r.account,
        expiresAt: r.expires_at,
      }));
    },
  };
}
