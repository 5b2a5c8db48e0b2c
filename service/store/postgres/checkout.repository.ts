/**
 * Which device took which batch, in PostgreSQL. The partial unique index `checkouts_one_holder`
 * keeps one holder per batch across every process: a second holder's insert fails as in SQLite.
 */
import type { CheckoutRepository } from '../repositories';
import { CHECKOUT_COLUMNS, toCheckout, type RawCheckout } from '../rows/device-row';
import type { PgDb } from './db';

export function pgCheckoutRepository(db: PgDb): CheckoutRepository {
  return {
    async record(account, keyId, batchId, at) {
      await db.execute(
        `INSERT INTO checkouts (account, key_id, batch_id, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (account, key_id, batch_id) DO UPDATE SET at = excluded.at,
           released_at = NULL, release_kind = NULL, released_by = NULL`,
        [account, keyId, batchId, at],
      );
    },
    async holder(batchId) {
      const [r] = await db.query<RawCheckout>(
        `SELECT ${CHECKOUT_COLUMNS} FROM checkouts WHERE batch_id = $1 AND released_at IS NULL AND revoked_at IS NULL`,
        [batchId],
      );
      return r ? toCheckout(r) : undefined;
    },
    async find(account, keyId, batchId) {
      const [r] = await db.query<RawCheckout>(
        `SELECT ${CHECKOUT_COLUMNS} FROM checkouts WHERE account = $1 AND key_id = $2 AND batch_id = $3`,
        [account, keyId, batchId],
      );
      return r ? toCheckout(r) : undefined;
    },
    async release(batchId, r) {
      const [row] = await db.query<RawCheckout>(
        `UPDATE checkouts SET released_at = $1, release_kind = $2, released_by = $3
          WHERE batch_id = $4 AND released_at IS NULL AND revoked_at IS NULL AND ($5::text IS NULL OR key_id = $5)
          RETURNING ${CHECKOUT_COLUMNS}`,
        [r.at, r.kind, r.by, batchId, r.keyId ?? null],
      );
      return row ? toCheckout(row) : undefined;
    },
    async revokeAllOf(account, keyId, at) {
      const rows = await db.query<{ batch_id: string }>(
        `UPDATE checkouts SET revoked_at = $1 WHERE account = $2 AND key_id = $3 AND revoked_at IS NULL
         RETURNING batch_id`,
        [at, account, keyId],
      );
      return rows.map((r) => r.batch_id).sort();
    },
    async revokedOf(account, keyId) {
      const rows = await db.query<{ batch_id: string }>(
        'SELECT batch_id FROM checkouts WHERE account = $1 AND key_id = $2 AND revoked_at IS NOT NULL ORDER BY batch_id',
        [account, keyId],
      );
      return rows.map((r) => r.batch_id);
    },
  };
}
