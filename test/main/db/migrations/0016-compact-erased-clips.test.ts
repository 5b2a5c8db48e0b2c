import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { makeTempDir } from '../../../support/temp-dir';

const ACTIVE = 'b-AAAAAAAAAAAA0001';
const ENDED = 'b-AAAAAAAAAAAA0002';

describe('migration 0016 (compact erased clips)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(
      db,
      migrations.filter((m) => m.version < 16),
    );
    db.exec(`
      INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
        VALUES ('${ACTIVE}', 'en-US', 2, 0, 9, 0, 'active'), ('${ENDED}', 'en-US', 3, 0, 9, 0, 'revoked');
      INSERT INTO clips (batch_id, clip_id, ordinal, state, reason, meta_iv, meta_tag, meta)
        VALUES ('${ACTIVE}', 'c-AAAAAAAAAAAA0001', 0, 'quarantined', 'bad audio', x'01', x'02', x'03');
      INSERT INTO clips (batch_id, clip_id, ordinal, state, reason)
        VALUES ('${ENDED}', 'c-AAAAAAAAAAAA0002', 0, 'purged', NULL),
               ('${ENDED}', 'c-AAAAAAAAAAAA0003', 1, 'quarantined', 'bad audio'),
               ('${ENDED}', 'c-AAAAAAAAAAAA0004', 2, 'purged', NULL);
    `);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('drops the clip rows of ended batches, keeping how many were quarantined; active ones are untouched', () => {
    expect(
      migrate(
        db,
        migrations.filter((m) => m.version <= 16),
      ),
    ).toEqual([16]);
    expect(db.prepare('SELECT batch_id, clip_id FROM clips ORDER BY batch_id, clip_id').all()).toEqual([
      { batch_id: ACTIVE, clip_id: 'c-AAAAAAAAAAAA0001' },
    ]);
    expect(db.prepare('SELECT id, erased_quarantined FROM batches ORDER BY id').all()).toEqual([
      { id: ACTIVE, erased_quarantined: 0 },
      { id: ENDED, erased_quarantined: 1 },
    ]);
  });
});
