import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { makeTempDir } from '../../../support/temp-dir';

describe('migration 0003 (annotations)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;
  const blob = Buffer.alloc(4);

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(db);
    db.exec(
      "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status) VALUES ('b1', 'en-US', 2, 0, 9, 0, 'active')",
    );
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  const addRevision = (revision: number, opId: string, disposition = 'transcribed') =>
    db
      .prepare(
        'INSERT INTO annotations (batch_id, clip_id, revision, op_id, disposition, critical, submitted_at, body_iv, body_tag, body) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?)',
      )
      .run('b1', 'c1', revision, opId, disposition, blob, blob, blob);

  it('creates STRICT tables for annotations, drafts, positions and escalations', () => {
    const rows = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name IN ('annotations', 'drafts', 'review_positions', 'escalations') ORDER BY name",
      )
      .all();
    expect(rows.map((r) => [r.name, r.strict])).toEqual([
      ['annotations', 1],
      ['drafts', 1],
      ['escalations', 1],
      ['review_positions', 1],
    ]);
  });

  it('keeps one row per revision and one op id per row', () => {
    addRevision(1, 'op-1');
    addRevision(2, 'op-2');
    expect(() => addRevision(2, 'op-3')).toThrow(/UNIQUE constraint failed/);
    expect(() => addRevision(3, 'op-1')).toThrow(/UNIQUE constraint failed: annotations.op_id/);
  });

  it('refuses an unknown disposition, revision 0 and a batch it does not know', () => {
    expect(() => addRevision(1, 'op-x', 'maybe')).toThrow(/CHECK constraint failed/);
    expect(() => addRevision(0, 'op-y')).toThrow(/CHECK constraint failed/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO drafts (batch_id, clip_id, based_on_revision, saved_at, body_iv, body_tag, body) VALUES ('nope', 'c1', 0, 0, ?, ?, ?)",
        )
        .run(blob, blob, blob),
    ).toThrow(/FOREIGN KEY constraint failed/);
  });
});
