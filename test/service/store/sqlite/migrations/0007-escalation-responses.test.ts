import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../../service/store/sqlite/migrations';

describe('service migration 0007 (escalation responses)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version < 7),
    );
    db.exec(`
      INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES ('r', 'rv-1', 'reviewer', 'h', 's');
      INSERT INTO ops (op_id, kind, account, payload_hash, payload, received_at, source)
        VALUES ('op-1', 'escalation', 'r', x'00', '{}', 5, 'online');
    `);
    migrate(
      db,
      migrations.filter((m) => m.version <= 7),
    );
  });
  afterEach(() => {
    db.close();
  });

  it('reaches version 7 with STRICT tables, keeping the ops', () => {
    expect(schemaVersion(db)).toBe(7);
    const strict = db
      .prepare<[], { strict: number }>(
        `SELECT strict FROM pragma_table_list WHERE schema = 'main'
           AND name IN ('escalation_responses', 'escalation_states', 'inbox_settings')`,
      )
      .all();
    expect(strict).toEqual([{ strict: 1 }, { strict: 1 }, { strict: 1 }]);
    expect(db.prepare('SELECT op_id FROM ops').all()).toEqual([{ op_id: 'op-1' }]);
  });

  it('takes answers to known ops, once per response id, with a known action and status', () => {
    const add = db.prepare(
      `INSERT INTO escalation_responses (response_id, op_id, account, action, body_hash, body, status_after, at)
       VALUES (?, ?, 'r', ?, x'00', '{}', ?, 1)`,
    );
    add.run('a-1', 'op-1', 'acknowledge', 'acknowledged');
    expect(() => add.run('a-1', 'op-1', 'acknowledge', 'acknowledged')).toThrow(/UNIQUE/);
    expect(() => add.run('a-2', 'op-9', 'acknowledge', 'acknowledged')).toThrow(/FOREIGN KEY/);
    expect(() => add.run('a-3', 'op-1', 'shrug', 'acknowledged')).toThrow(/CHECK/);
    expect(() => add.run('a-4', 'op-1', 'close', 'gone')).toThrow(/CHECK/);
    const setting = db.prepare(
      "INSERT INTO inbox_settings (key, value, changed_at, changed_by) VALUES (?, '1', 1, 'o')",
    );
    expect(() => setting.run('colour')).toThrow(/CHECK/);
  });
});
