import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBefore, type DatabaseBefore } from '../../../support/migration-db';

const BATCH = 'b-AAAAAAAAAAAA0022';

describe('migration 0022 (drop checked_at)', () => {
  let before: DatabaseBefore;

  beforeEach(() => {
    before = databaseBefore(22);
    before.db.exec(`
      INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
        VALUES ('${BATCH}', 'en-US', 1, 0, 9, 0, 'active');
      INSERT INTO sync_batches (batch_id, source, service_status, checked_at, erased_at, owner)
        VALUES ('${BATCH}', 'checkout', 'revoked', 50, 40, 'rv-1');
    `);
  });
  afterEach(() => {
    before.close();
  });

  it('drops the column nothing read, and keeps what the service said of each batch', () => {
    const columns = (): string[] =>
      before.db
        .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('sync_batches')")
        .all()
        .map((c) => c.name);
    expect(columns()).toContain('checked_at');
    expect(before.upgrade()).toEqual([22]);
    expect(columns()).not.toContain('checked_at');
    expect(
      before.db.prepare('SELECT batch_id, source, service_status, erased_at, owner FROM sync_batches').all(),
    ).toEqual([{ batch_id: BATCH, source: 'checkout', service_status: 'revoked', erased_at: 40, owner: 'rv-1' }]);
  });
});
