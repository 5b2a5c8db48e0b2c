import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../../service/store/sqlite/migrations';

describe('service migration 0010 (fault switch)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version <= 9),
    );
    db.exec("INSERT INTO teams (team, created_at, created_by) VALUES ('t', 1, 'op')");
    migrate(
      db,
      migrations.filter((m) => m.version <= 10),
    );
  });
  afterEach(() => {
    db.close();
  });

  it('keeps what was there and starts with no fault and nothing counted', () => {
    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare('SELECT team FROM teams').all()).toEqual([{ team: 't' }]);
    expect(db.prepare('SELECT * FROM fault_switch').all()).toEqual([
      { id: 1, fault: 'none', delay_ms: 0, retry_after_s: 1, after_ops: 0, every: 2, uploads: 0, token_expired: 0 },
    ]);
  });

  it('holds one switch only', () => {
    expect(() =>
      db.exec(
        "INSERT INTO fault_switch (id, fault, delay_ms, retry_after_s, after_ops, every) VALUES (2, 'none', 0, 1, 0, 2)",
      ),
    ).toThrow(/CHECK constraint failed/);
  });
});
