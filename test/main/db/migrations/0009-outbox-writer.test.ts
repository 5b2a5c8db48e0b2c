import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { makeTempDir } from '../../../support/temp-dir';

describe('migration 0009 (outbox writer)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(
      db,
      migrations.filter((m) => m.version <= 8),
    );
    db.prepare(
      "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status) VALUES ('b1', 'en-US', 1, 0, 9, 0, 'active')",
    ).run();
    const annotation = db.prepare(
      `INSERT INTO annotations (batch_id, clip_id, revision, op_id, disposition, critical, submitted_at, body_iv, body_tag, body)
       VALUES ('b1', 'c1', ?, ?, 'transcribed', 0, 1, x'00', x'00', x'00')`,
    );
    const outbox = db.prepare(
      `INSERT INTO outbox (op_id, kind, author, batch_id, clip_id, revision, created_at, state, parked_at, park_reason)
       VALUES (?, ?, 'rv-1', ?, ?, ?, 1, ?, ?, ?)`,
    );
    annotation.run(1, 'op-1');
    annotation.run(2, 'op-2');
    outbox.run('op-1', 'annotation', 'b1', 'c1', 1, 'pending', null, null);
    outbox.run('op-2', 'annotation', 'b1', 'c1', 2, 'parked', 5, 'conflict');
    outbox.run('op-e', 'escalation', 'b1', 'c1', null, 'pending', null, null);
    migrate(db);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('gives every annotation row the revision it amends and that revision’s op id', () => {
    expect(db.prepare('SELECT op_id, base_revision, base_op_id FROM outbox ORDER BY seq').all()).toEqual([
      { op_id: 'op-1', base_revision: 0, base_op_id: null },
      { op_id: 'op-2', base_revision: 1, base_op_id: 'op-1' },
      { op_id: 'op-e', base_revision: null, base_op_id: null },
    ]);
  });

  it('keeps a parked conflict parked, with its code, and nothing resolved', () => {
    expect(db.prepare("SELECT op_id, park_code, resolution FROM outbox WHERE state = 'parked'").all()).toEqual([
      { op_id: 'op-2', park_code: 'conflict', resolution: null },
    ]);
  });

  it('refuses a resolution it does not know', () => {
    expect(() => db.prepare("UPDATE outbox SET resolution = 'forgotten' WHERE op_id = 'op-2'").run()).toThrow(
      /CHECK constraint/,
    );
  });
});
