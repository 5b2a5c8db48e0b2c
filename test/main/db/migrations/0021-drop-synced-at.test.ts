import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBefore, type DatabaseBefore } from '../../../support/migration-db';

const BATCH = 'b-AAAAAAAAAAAA0021';

describe('migration 0021 (drop synced_at)', () => {
  let before: DatabaseBefore;

  beforeEach(() => {
    before = databaseBefore(21);
    before.db.exec(`
      INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
        VALUES ('${BATCH}', 'en-US', 2, 0, 9, 0, 'active');
      INSERT INTO annotations (batch_id, clip_id, revision, op_id, submitted_at, body_iv, body_tag, body, synced_at)
        VALUES ('${BATCH}', 'c-1', 1, 'op-1', 10, x'01', x'02', x'0304', 20),
               ('${BATCH}', 'c-1', 2, 'op-2', 11, x'05', x'06', x'0708', NULL);
      INSERT INTO escalations (id, batch_id, clip_ref, created_at, note_iv, note_tag, note, synced_at)
        VALUES ('esc-1', '${BATCH}', 'ref-1', 12, x'09', x'0a', x'0b', 30);
    `);
  });
  afterEach(() => {
    before.close();
  });

  const columns = (table: string): string[] =>
    before.db
      .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
      .all()
      .map((c) => c.name);

  it('drops the column nothing read, and keeps every revision and escalation as it was', () => {
    expect(columns('annotations')).toContain('synced_at');
    expect(before.upgrade()).toEqual([21]);
    expect(columns('annotations')).not.toContain('synced_at');
    expect(columns('escalations')).not.toContain('synced_at');
    expect(
      before.db
        .prepare('SELECT op_id, revision, submitted_at, hex(body) AS body FROM annotations ORDER BY revision')
        .all(),
    ).toEqual([
      { op_id: 'op-1', revision: 1, submitted_at: 10, body: '0304' },
      { op_id: 'op-2', revision: 2, submitted_at: 11, body: '0708' },
    ]);
    expect(before.db.prepare('SELECT id, clip_ref, hex(note) AS note FROM escalations').all()).toEqual([
      { id: 'esc-1', clip_ref: 'ref-1', note: '0B' },
    ]);
    expect(before.db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  });
});
