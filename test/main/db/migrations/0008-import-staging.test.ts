import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { createBatchRepository } from '../../../../main/db/repositories/batch.repository';
import { makeTempDir } from '../../../support/temp-dir';

describe('migration 0008 (import staging)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(
      db,
      migrations.filter((m) => m.version <= 7),
    );
    db.prepare(
      "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status) VALUES ('b1', 'en-US', 1, 0, 9, 0, 'active')",
    ).run();
    migrate(db);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('keeps every batch already here visible', () => {
    expect(db.prepare('SELECT id, staged FROM batches').all()).toEqual([{ id: 'b1', staged: 0 }]);
    expect(
      createBatchRepository(db)
        .list()
        .map((b) => b.id),
    ).toEqual(['b1']);
  });

  it('leaves a staged batch out of the batch list and lookups', () => {
    db.prepare(
      "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status, staged) VALUES ('b2', 'en-US', 1, 0, 9, 1, 'active', 1)",
    ).run();
    const batches = createBatchRepository(db);
    expect(batches.list().map((b) => b.id)).toEqual(['b1']);
    expect(batches.find('b2')).toBeUndefined();
    expect(batches.status('b2')).toBeUndefined();
    expect(batches.status('b1')).toBe('active');
    db.prepare("UPDATE batches SET status = 'revoked' WHERE id = 'b1'").run();
    expect(batches.status('b1')).toBe('revoked');
    expect(() => db.prepare("UPDATE batches SET staged = 2 WHERE id = 'b2'").run()).toThrow(/CHECK/);
  });
});
