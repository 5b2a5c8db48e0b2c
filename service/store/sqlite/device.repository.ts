/** Enrolled devices, their approval state, and the checkouts made for them, in SQLite. */
import type { Database } from 'better-sqlite3';
import type { CheckoutRepository, DeviceRepository, ReleaseKind } from '../repositories';
import { CHECKOUT_COLUMNS, toCheckout, toDevice, type RawCheckout, type RawDevice } from '../rows/device-row';
import type { Sync } from './unit-of-work';

export function sqliteDeviceRepository(db: Database): Sync<DeviceRepository> {
  const insert = db.prepare<[string, string, Buffer, Buffer, number]>(
    `INSERT INTO devices (account, key_id, encryption_key, signing_key, enrolled_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account, key_id) DO NOTHING`,
  );
  const select = db.prepare<[string, string], RawDevice>('SELECT * FROM devices WHERE account = ? AND key_id = ?');
  const list = db.prepare<[{ account: string | null; state: string | null }], RawDevice>(
    `SELECT * FROM devices WHERE (@account IS NULL OR account = @account) AND (@state IS NULL OR state = @state)
     ORDER BY enrolled_at DESC, account, key_id`,
  );
  // A revoked key is never approved again: a new key must be enrolled instead.
  const decide = db.prepare<[{ state: string; at: number; by: string; account: string; keyId: string }]>(
    `UPDATE devices SET state = @state, decided_at = @at, decided_by = @by
     WHERE account = @account AND key_id = @keyId AND state <> @state AND state <> 'revoked'`,
  );
  const approved = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM devices WHERE account = ? AND state = 'approved'",
  );
  const pending = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM devices WHERE account = ? AND state = 'pending'",
  );
  return {
    enrol: (account, d) => {
      insert.run(account, d.keyId, d.encryptionKey, d.signingKey, d.enrolledAt);
      const stored = select.get(account, d.keyId);
      if (!stored) {
        throw new Error('enrolment was not stored');
      }
      return toDevice(stored);
    },
    find: (account, keyId) => {
      const r = select.get(account, keyId);
      return r ? toDevice(r) : undefined;
    },
    list: (q) => list.all({ account: q.account ?? null, state: q.state ?? null }).map(toDevice),
    decide: (account, keyId, state, at, by) => decide.run({ state, at, by, account, keyId }).changes === 1,
    approvedCount: (account) => approved.get(account)?.n ?? 0,
    pendingCount: (account) => pending.get(account)?.n ?? 0,
  };
}

export function sqliteCheckoutRepository(db: Database): Sync<CheckoutRepository> {
  const insert = db.prepare<[string, string, string, number]>(
    `INSERT INTO checkouts (account, key_id, batch_id, at) VALUES (?, ?, ?, ?)
     ON CONFLICT (account, key_id, batch_id) DO UPDATE SET at = excluded.at,
       released_at = NULL, release_kind = NULL, released_by = NULL`,
  );
  const holder = db.prepare<[string], RawCheckout>(
    `SELECT ${CHECKOUT_COLUMNS} FROM checkouts WHERE batch_id = ? AND released_at IS NULL AND revoked_at IS NULL`,
  );
  const find = db.prepare<[string, string, string], RawCheckout>(
    `SELECT ${CHECKOUT_COLUMNS} FROM checkouts WHERE account = ? AND key_id = ? AND batch_id = ?`,
  );
  const release = db.prepare<
    [{ at: number; kind: ReleaseKind; by: string; batchId: string; keyId: string | null }],
    RawCheckout
  >(
    `UPDATE checkouts SET released_at = @at, release_kind = @kind, released_by = @by
     WHERE batch_id = @batchId AND released_at IS NULL AND revoked_at IS NULL AND (@keyId IS NULL OR key_id = @keyId)
     RETURNING ${CHECKOUT_COLUMNS}`,
  );
  const revoke = db.prepare<[number, string, string], { batch_id: string }>(
    `UPDATE checkouts SET revoked_at = ? WHERE account = ? AND key_id = ? AND revoked_at IS NULL
     RETURNING batch_id`,
  );
  const revoked = db.prepare<[string, string], { batch_id: string }>(
    'SELECT batch_id FROM checkouts WHERE account = ? AND key_id = ? AND revoked_at IS NOT NULL ORDER BY batch_id',
  );
  return {
    record: (account, keyId, batchId, at) => {
      insert.run(account, keyId, batchId, at);
    },
    holder: (batchId) => {
      const r = holder.get(batchId);
      return r ? toCheckout(r) : undefined;
    },
    find: (account, keyId, batchId) => {
      const r = find.get(account, keyId, batchId);
      return r ? toCheckout(r) : undefined;
    },
    release: (batchId, r) => {
      const row = release.get({ at: r.at, kind: r.kind, by: r.by, batchId, keyId: r.keyId ?? null });
      return row ? toCheckout(row) : undefined;
    },
    revokeAllOf: (account, keyId, at) =>
      revoke
        .all(at, account, keyId)
        .map((r) => r.batch_id)
        .sort(),
    revokedOf: (account, keyId) => revoked.all(account, keyId).map((r) => r.batch_id),
  };
}
