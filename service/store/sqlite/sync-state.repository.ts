/** Which device each op came from, and the service's epoch, in SQLite (migration 0005). */
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { SyncStateRepository } from '../repositories';
import type { Sync } from './unit-of-work';

export function sqliteSyncStateRepository(db: Database): Sync<SyncStateRepository> {
  // Only ops of this account: a device row is never made for someone else's op.
  const note = db.prepare<[string, string, string, string]>(
    `INSERT INTO op_devices (op_id, account, key_id) SELECT op_id, ?, ? FROM ops WHERE op_id = ? AND account = ?
     ON CONFLICT (op_id) DO NOTHING`,
  );
  const figures = db.prepare<[string, string], { highSeq: number; count: number }>(
    `SELECT coalesce(max(o.seq), 0) AS highSeq, count(*) AS count
     FROM op_devices d JOIN ops o ON o.op_id = d.op_id WHERE d.account = ? AND d.key_id = ?`,
  );
  const epoch = db.prepare<[], { epoch: string }>('SELECT epoch FROM service_epoch WHERE id = 1');
  const setEpoch = db.prepare<[string, number, string]>(
    'UPDATE service_epoch SET epoch = ?, changed_at = ?, changed_by = ? WHERE id = 1',
  );
  const recordDevice = db.transaction((account: string, keyId: string, opIds: readonly string[]) => {
    for (const opId of opIds) {
      note.run(account, keyId, opId, account);
    }
  });
  const readEpoch = (): string => {
    const row = epoch.get();
    if (!row) {
      throw new Error('The service store has no epoch row; it was not migrated.');
    }
    return row.epoch;
  };

  return {
    recordDevice: (account, keyId, opIds) => recordDevice(account, keyId, opIds),
    figures: (account, keyId) => figures.get(account, keyId) ?? { highSeq: 0, count: 0 },
    epoch: readEpoch,
    // Both read in one synchronous call on the one connection: nothing commits in between.
    deviceState: (account, keyId) => ({
      epoch: readEpoch(),
      ...(figures.get(account, keyId) ?? { highSeq: 0, count: 0 }),
    }),
    changeEpoch: (now, by) => {
      const next = randomBytes(16).toString('hex');
      setEpoch.run(next, now, by);
      return next;
    },
  };
}
