import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { makeTempDir } from '../../../support/temp-dir';

const upTo10 = migrations.filter((m) => m.version <= 10);

describe('migration 0010 (sync marks)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(
      db,
      migrations.filter((m) => m.version <= 9),
    );
    db.exec(`
      INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
        VALUES ('b-AAAAAAAAAAAAHERE', 'en-US', 2, 0, 9, 0, 'active'), ('b-AAAAAAAAAAAAG0NE', 'en-US', 2, 0, 9, 0, 'revoked'),
               ('b-AAAAAAAAAAAAD0NE', 'en-US', 2, 0, 9, 0, 'expired');
      INSERT INTO sync_batches (batch_id, source, service_status, checked_at, audio_purged_at)
        VALUES ('b-AAAAAAAAAAAAHERE', 'checkout', 'active', 50, NULL), ('b-AAAAAAAAAAAAG0NE', 'checkout', 'revoked', 60, NULL),
               ('b-AAAAAAAAAAAAD0NE', 'checkout', 'active', 70, 40);
    `);
    const op = db.prepare(
      `INSERT INTO outbox (op_id, kind, author, batch_id, clip_id, revision, created_at, state, acked_at, server_seq)
       VALUES (?, 'annotation', ?, 'b-AAAAAAAAAAAAHERE', ?, 1, 0, ?, ?, ?)`,
    );
    op.run('op-1', 'rv-1', 'c1', 'acked', 5, 10);
    op.run('op-2', 'rv-1', 'c2', 'acked', 5, 14);
    op.run('op-3', 'rv-2', 'c1', 'acked', 5, 12);
    op.run('op-4', 'rv-1', 'c3', 'pending', null, null);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('counts what the enrolled service already acknowledged, per reviewer, with no epoch yet', () => {
    db.exec("INSERT INTO settings (key, value) VALUES ('sync.enrolled', 'https://svc.example:8443|0123456789abcdef')");
    expect(migrate(db, upTo10)).toEqual([10]);
    expect(db.prepare('SELECT * FROM sync_marks ORDER BY author').all()).toEqual([
      {
        service: 'https://svc.example:8443',
        author: 'rv-1',
        epoch: null,
        high_seq: 14,
        acked: 2,
        recovery_state: 'none',
        recovery_at: null,
        resent: 0,
        unrecoverable: 0,
      },
      expect.objectContaining({ author: 'rv-2', high_seq: 12, acked: 1 }),
    ]);
  });

  it('starts with no marks when no service was enrolled, and notes when erased batches left', () => {
    migrate(db, upTo10);
    expect(db.prepare('SELECT count(*) AS n FROM sync_marks').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT batch_id, erased_at FROM sync_batches ORDER BY batch_id').all()).toEqual([
      { batch_id: 'b-AAAAAAAAAAAAD0NE', erased_at: 40 },
      { batch_id: 'b-AAAAAAAAAAAAG0NE', erased_at: 60 },
      { batch_id: 'b-AAAAAAAAAAAAHERE', erased_at: null },
    ]);
    const strict = db
      .prepare("SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name = 'sync_marks'")
      .get();
    expect(strict).toEqual({ strict: 1 });
  });
});
