import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../../service/store/sqlite/migrations';

describe('service migration 0011 (upload slots)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version <= 10),
    );
    db.exec("UPDATE fault_switch SET fault = 'delay' WHERE id = 1");
    migrate(
      db,
      migrations.filter((m) => m.version <= 11),
    );
  });
  afterEach(() => {
    db.close();
  });

  it('keeps what was there and starts with every slot free', () => {
    expect(schemaVersion(db)).toBe(11);
    expect(db.prepare('SELECT fault FROM fault_switch').all()).toEqual([{ fault: 'delay' }]);
    expect(db.prepare('SELECT * FROM large_upload_slots').all()).toEqual([]);
  });

  it('holds times as integers only', () => {
    expect(() =>
      db.exec("INSERT INTO large_upload_slots (slot, holder, account, expires_at) VALUES (0, 'h', 'a', 'soon')"),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
  });
});
