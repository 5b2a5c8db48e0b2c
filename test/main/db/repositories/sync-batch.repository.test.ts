import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../main/db/migrate';
import { createSyncBatchRepository } from '../../../../main/db/repositories/sync-batch.repository';
import { testBatchId } from '../../../support/ids';

const BATCH = testBatchId(1);

describe('sync batches: what the service last said', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    migrate(db);
    db.prepare(
      `INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
       VALUES (?, 'en-US', 1, 0, 9, 0, 'active')`,
    ).run(BATCH);
  });
  afterEach(() => db.close());

  const row = () =>
    db.prepare('SELECT service_status, erased_at FROM sync_batches WHERE batch_id = ?').get(BATCH) as {
      service_status: string | null;
      erased_at: number | null;
    };
  /** Rows written since the connection opened: a write that changes nothing still counts here. */
  const written = (): number => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

  it('writes the row only when the service’s word changes it, and notes the erasure once', () => {
    const batches = createSyncBatchRepository(db);
    batches.register(BATCH, 'checkout', 'rv-1');
    const before = written();
    expect(batches.setServiceStatus(BATCH, 'active', 100)).toBe(true);
    // Every later cycle that hears the same: no write, so no commit to sync.
    expect([batches.setServiceStatus(BATCH, 'active', 200), batches.setServiceStatus(BATCH, 'active', 300)]).toEqual([
      false,
      false,
    ]);
    expect(written() - before).toBe(1);
    expect(row()).toEqual({ service_status: 'active', erased_at: null });

    expect(batches.setServiceStatus(BATCH, 'revoked', 400)).toBe(true);
    expect(batches.setServiceStatus(BATCH, 'revoked', 500)).toBe(false);
    expect(row()).toEqual({ service_status: 'revoked', erased_at: 400 });
    // Listed again (assigned anew): the status follows, the first erasure stays noted.
    expect(batches.setServiceStatus(BATCH, 'active', 600)).toBe(true);
    expect(row()).toEqual({ service_status: 'active', erased_at: 400 });
    expect(batches.setServiceStatus(BATCH, 'expired', 700)).toBe(true);
    expect(row()).toEqual({ service_status: 'expired', erased_at: 400 });
    expect(written() - before).toBe(4);
  });

  it('records the status a batch was checked out under, so hearing it again writes nothing', () => {
    const batches = createSyncBatchRepository(db);
    batches.register(BATCH, 'checkout', 'rv-1', 'active');
    expect(row()).toEqual({ service_status: 'active', erased_at: null });
    const before = written();
    expect(batches.setServiceStatus(BATCH, 'active', 100)).toBe(false);
    expect(written() - before).toBe(0);
  });

  it('notes the erasure of a row that has a non-active status but no erasure time yet', () => {
    const batches = createSyncBatchRepository(db);
    batches.register(BATCH, 'checkout', 'rv-1');
    // As a row could have been left by a version that wrote the status first.
    db.prepare("UPDATE sync_batches SET service_status = 'revoked' WHERE batch_id = ?").run(BATCH);
    expect(batches.setServiceStatus(BATCH, 'revoked', 800)).toBe(true);
    expect(row()).toEqual({ service_status: 'revoked', erased_at: 800 });
  });
});
