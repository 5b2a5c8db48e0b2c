import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { makeTempDir } from '../../../support/temp-dir';

describe('migration 0007 (sealed escalations)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(
      db,
      migrations.filter((m) => m.version <= 6),
    );
    db.prepare(
      "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status) VALUES ('b-AAAAAAAAAAAAAAA1', 'en-US', 1, 0, 9, 0, 'active')",
    ).run();
    db.prepare(
      "INSERT INTO escalations (id, batch_id, clip_id, category, created_at, note_iv, note_tag, note) VALUES ('e-1', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1', 'self_harm', 5, x'01', x'02', x'03')",
    ).run();
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('keeps every escalation, its category waiting to be sealed, and takes new ones without a category', () => {
    migrate(db, migrations);
    expect(db.prepare('SELECT id, batch_id, clip_id, category, created_at FROM escalations').all()).toEqual([
      {
        id: 'e-1',
        batch_id: 'b-AAAAAAAAAAAAAAA1',
        clip_id: 'c-AAAAAAAAAAAAAAA1',
        category: 'self_harm',
        created_at: 5,
      },
    ]);
    db.prepare(
      "INSERT INTO escalations (id, batch_id, clip_id, created_at, note_iv, note_tag, note) VALUES ('e-2', 'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1', 6, x'01', x'02', x'03')",
    ).run();
    expect(() => db.prepare("UPDATE escalations SET category = 'gossip' WHERE id = 'e-2'").run()).toThrow(/CHECK/);
  });
});
