import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migration0001 } from '../../../../main/db/migrations/0001-initial';
import { makeTempDir } from '../../../support/temp-dir';

describe('migration 0001 (initial)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migration0001.up(db);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('creates STRICT settings and batches tables', () => {
    const rows = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name IN ('settings', 'batches') ORDER BY name",
      )
      .all();
    expect(rows).toEqual([
      { name: 'batches', strict: 1 },
      { name: 'settings', strict: 1 },
    ]);
  });

  it('rejects a value of the wrong type instead of coercing it', () => {
    const insert = db.prepare(
      "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status) VALUES ('b1', 'en-US', ?, 0, 1, 0, 'active')",
    );
    expect(() => insert.run('twelve')).toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('rejects an unknown batch status and more done clips than clips', () => {
    expect(() =>
      db.exec(
        "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status) VALUES ('b1', 'en', 1, 0, 1, 0, 'lost')",
      ),
    ).toThrow(/CHECK constraint failed/);
    expect(() =>
      db.exec(
        "INSERT INTO batches (id, locale, clip_count, done_count, created_at, expires_at, imported_at, status) VALUES ('b2', 'en', 1, 2, 0, 1, 0, 'active')",
      ),
    ).toThrow(/CHECK constraint failed/);
  });
});
