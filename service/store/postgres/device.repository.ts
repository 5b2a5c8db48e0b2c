/** Enrolled devices and their approval state in PostgreSQL. */
import type { DeviceRepository } from '../repositories';
import { toDevice, type RawDevice } from '../rows/device-row';
import { lockKey } from './advisory-lock';
import type { PgDb } from './db';

const SELECT_ONE = 'SELECT * FROM devices WHERE account = $1 AND key_id = $2';

export function pgDeviceRepository(db: PgDb): DeviceRepository {
  return {
    async enrol(account, d) {
      await db.execute(
        `INSERT INTO devices (account, key_id, encryption_key, signing_key, enrolled_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (account, key_id) DO NOTHING`,
        [account, d.keyId, d.encryptionKey, d.signingKey, d.enrolledAt],
      );
      // A statement of its own: it sees the row even when a racing enrolment inserted it.
      const [stored] = await db.query<RawDevice>(SELECT_ONE, [account, d.keyId]);
      if (!stored) {
        throw new Error('enrolment was not stored');
      }
      return toDevice(stored);
    },
    async find(account, keyId) {
      const [r] = await db.query<RawDevice>(SELECT_ONE, [account, keyId]);
      return r ? toDevice(r) : undefined;
    },
    async list(q) {
      // Text ordered by code point, as SQLite orders it, whatever the database's collation.
      const rows = await db.query<RawDevice>(
        `SELECT * FROM devices WHERE ($1::text IS NULL OR account = $1) AND ($2::text IS NULL OR state = $2)
         ORDER BY enrolled_at DESC, account COLLATE "C", key_id COLLATE "C"`,
        [q.account ?? null, q.state ?? null],
      );
      return rows.map(toDevice);
    },
    async decide(account, keyId, state, at, by) {
      // A revoked key is never approved again: a new key must be enrolled instead.
      const changed = await db.execute(
        `UPDATE devices SET state = $1, decided_at = $2, decided_by = $3
         WHERE account = $4 AND key_id = $5 AND state <> $1 AND state <> 'revoked'`,
        [state, at, by, account, keyId],
      );
      return changed === 1;
    },
    async approvedCount(account) {
      // Approval counts, then approves: two processes approving devices of one account at once
      // take turns here, so the account's device limit holds.
      await lockKey(db, `devices:${account}`);
      const [r] = await db.query<{ n: number }>(
        "SELECT count(*) AS n FROM devices WHERE account = $1 AND state = 'approved'",
        [account],
      );
      return r?.n ?? 0;
    },
    async pendingCount(account) {
      await lockKey(db, `devices:${account}`);
      const [r] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM devices WHERE account = $1 AND state = 'pending'",
        [account],
      );
      return r?.n ?? 0;
    },
  };
}
