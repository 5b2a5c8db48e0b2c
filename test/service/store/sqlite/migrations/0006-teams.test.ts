import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../../service/store/sqlite/migrations';

describe('service migration 0006 (teams)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version < 6),
    );
    db.exec(`
      INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES ('r', 'rv-1', 'reviewer', 'h', 's');
      INSERT INTO timing_records (id, account, kind, body, received_at) VALUES ('k-1', 'r', 'shift', '{}', 5);
    `);
    migrate(
      db,
      migrations.filter((m) => m.version <= 6),
    );
  });
  afterEach(() => {
    db.close();
  });

  it('reaches version 6 with STRICT team tables, keeping the timing records', () => {
    expect(schemaVersion(db)).toBe(6);
    const strict = db
      .prepare<[], { strict: number }>(
        "SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name IN ('teams', 'team_members') ORDER BY name",
      )
      .all();
    expect(strict).toEqual([{ strict: 1 }, { strict: 1 }]);
    expect(db.prepare('SELECT id, account FROM timing_records').all()).toEqual([{ id: 'k-1', account: 'r' }]);
  });

  it('takes members of known teams and accounts only, in a role it knows', () => {
    db.exec("INSERT INTO teams (team, created_at, created_by) VALUES ('north', 1, 'alice')");
    const add = db.prepare('INSERT INTO team_members (team, account, role, added_at, added_by) VALUES (?, ?, ?, 1, ?)');
    add.run('north', 'r', 'member', 'alice');
    expect(() => add.run('south', 'r', 'member', 'alice')).toThrow(/FOREIGN KEY/);
    expect(() => add.run('north', 'nobody', 'member', 'alice')).toThrow(/FOREIGN KEY/);
    expect(() => add.run('north', 'r', 'boss', 'alice')).toThrow(/CHECK/);
    expect(() => add.run('north', 'r', 'member', 'alice')).toThrow(/UNIQUE/);
  });
});
