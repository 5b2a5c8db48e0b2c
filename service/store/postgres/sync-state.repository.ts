/** Which device each op came from, and the service's epoch, in PostgreSQL. */
import { randomBytes } from 'node:crypto';
import type { SyncStateRepository } from '../repositories';
import type { PgDb } from './db';

export function pgSyncStateRepository(db: PgDb): SyncStateRepository {
  return {
    // Only ops of this account: a device row is never made for someone else's op. One statement
    // for the whole list; a row another process made first is kept.
    async recordDevice(account, keyId, opIds) {
      if (opIds.length === 0) {
        return;
      }
      await db.execute(
        `INSERT INTO op_devices (op_id, account, key_id)
         SELECT op_id, $1, $2 FROM ops WHERE op_id = ANY($3::text[]) AND account = $1
         ON CONFLICT (op_id) DO NOTHING`,
        [account, keyId, [...opIds]],
      );
    },
    async figures(account, keyId) {
      const [r] = await db.query<{ highSeq: number; count: number }>(
        `SELECT coalesce(max(o.seq), 0)::bigint AS "highSeq", count(*)::int AS count
           FROM op_devices d JOIN ops o ON o.op_id = d.op_id WHERE d.account = $1 AND d.key_id = $2`,
        [account, keyId],
      );
      return r ?? { highSeq: 0, count: 0 };
    },
    // One statement, so the epoch and the figures are read from the same snapshot.
    async deviceState(account, keyId) {
      const [r] = await db.query<{ epoch: string | null; highSeq: number; count: number }>(
        `SELECT (SELECT epoch FROM service_epoch WHERE id = 1) AS epoch,
                coalesce(max(o.seq), 0)::bigint AS "highSeq", count(*)::int AS count
           FROM op_devices d JOIN ops o ON o.op_id = d.op_id WHERE d.account = $1 AND d.key_id = $2`,
        [account, keyId],
      );
      if (!r?.epoch) {
        throw new Error('The service store has no epoch row; it was not migrated.');
      }
      return { epoch: r.epoch, highSeq: r.highSeq, count: r.count };
    },
    async epoch() {
      const [r] = await db.query<{ epoch: string }>('SELECT epoch FROM service_epoch WHERE id = 1');
      if (!r) {
        throw new Error('The service store has no epoch row; it was not migrated.');
      }
      return r.epoch;
    },
    async changeEpoch(now, by) {
      const next = randomBytes(16).toString('hex');
      await db.execute('UPDATE service_epoch SET epoch = $1, changed_at = $2, changed_by = $3 WHERE id = 1', [
        next,
        now,
        by,
      ]);
      return next;
    },
  };
}
