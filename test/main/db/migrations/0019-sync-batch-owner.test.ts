import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSyncBatchRepository } from '../../../../main/db/repositories/sync-batch.repository';
import { databaseBefore, type DatabaseBefore } from '../../../support/migration-db';

const batch = (n: number): string => `b-AAAAAAAAAAAA000${n}`;

describe('migration 0019 (sync batch owner)', () => {
  let before: DatabaseBefore;

  beforeEach(() => {
    before = databaseBefore(19);
    const { db } = before;
    const addBatch = db.prepare(
      `INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
       VALUES (?, 'en-US', 1, 0, 9, 0, 'active')`,
    );
    const register = db.prepare('INSERT INTO sync_batches (batch_id, source) VALUES (?, ?)');
    const audit = db.prepare(
      `INSERT INTO outbox (op_id, kind, author, batch_id, audit_type, created_at) VALUES (?, 'audit', ?, ?, ?, 0)`,
    );
    for (const n of [1, 2, 3, 4]) {
      addBatch.run(batch(n));
      register.run(batch(n), n === 2 ? 'offline' : 'checkout');
    }
    audit.run('op-1', 'rv-a', batch(1), 'batch_checked_out');
    audit.run('op-2', 'rv-b', batch(2), 'batch_imported_offline');
    // Checked out by rv-a, erased, checked out again by rv-b: the latest checkout names the owner.
    audit.run('op-3', 'rv-a', batch(3), 'batch_checked_out');
    audit.run('op-4', 'rv-a', batch(3), 'batch_erased_revoked');
    audit.run('op-5', 'rv-b', batch(3), 'batch_checked_out');
    audit.run('op-6', 'rv-c', batch(3), 'locked');
    // batch 4: its checkout event is gone.
  });
  afterEach(() => {
    before.close();
  });

  it('names each batch’s owner from its latest checkout or import event, and none where that is gone', () => {
    expect(before.upgrade()).toEqual([19]);
    expect(
      createSyncBatchRepository(before.db)
        .list()
        .map((b) => [b.batchId, b.owner]),
    ).toEqual([
      [batch(1), 'rv-a'],
      [batch(2), 'rv-b'],
      [batch(3), 'rv-b'],
      [batch(4), null],
    ]);
  });
});
