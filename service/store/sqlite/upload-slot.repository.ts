/**
 * The store-wide upload slots in SQLite: a claim is one immediate transaction (the database's
 * write lock, which every connection to the file shares), so two service processes on one file
 * never take the same slot. The file is on one host, so its processes share one clock: leases
 * are judged by the service clock the caller passes.
 */
import type { Database } from 'better-sqlite3';
import {
  freeSlotFor,
  type UploadSlotLease,
  type UploadSlotOutcome,
  type UploadSlotRepository,
} from '../upload-slot-repository';
import type { Sync } from './unit-of-work';

type Row = { slot: number; holder: string; account: string; expires_at: number };

export function sqliteUploadSlotRepository(db: Database): Sync<UploadSlotRepository> {
  const dropExpired = db.prepare<[number]>('DELETE FROM large_upload_slots WHERE expires_at <= ?');
  const held = db.prepare<[], Row>('SELECT slot, holder, account, expires_at FROM large_upload_slots ORDER BY slot');
  const insert = db.prepare<[number, string, string, number]>(
    'INSERT INTO large_upload_slots (slot, holder, account, expires_at) VALUES (?, ?, ?, ?)',
  );
  const extend = db.prepare<[number, string]>('UPDATE large_upload_slots SET expires_at = ? WHERE holder = ?');
  const remove = db.prepare<[string]>('DELETE FROM large_upload_slots WHERE holder = ?');
  const acquire = db.transaction((c: Parameters<UploadSlotRepository['acquire']>[0]): UploadSlotOutcome => {
    dropExpired.run(c.now);
    const slot = freeSlotFor(held.all(), c);
    if (typeof slot !== 'number') {
      return slot;
    }
    insert.run(slot, c.holder, c.account, c.now + c.leaseMs);
    return 'taken';
  });
  return {
    acquire: (c) => acquire.immediate(c),
    renew: (r) => extend.run(r.now + r.leaseMs, r.holder).changes === 1,
    release: (holder) => remove.run(holder).changes === 1,
    list: (): UploadSlotLease[] =>
      held.all().map((r) => ({ slot: r.slot, holder: r.holder, account: r.account, expiresAt: r.expires_at })),
  };
}
