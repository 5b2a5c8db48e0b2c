import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../../service/store/sqlite/migrations';

describe('service migration 0005 (op devices and epoch)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version <= 4),
    );
    db.exec(`
      INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES ('r', 'rv-1', 'reviewer', 'h', 's');
      INSERT INTO ops (op_id, kind, account, payload_hash, payload, received_at, source)
        VALUES ('op-1', 'audit', 'r', x'00', '{}', 5, 'online');
    `);
    migrate(
      db,
      migrations.filter((m) => m.version <= 5),
    );
  });
  afterEach(() => {
    db.close();
  });

  it('keeps every op, noting no device for ops stored before it', () => {
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT op_id FROM ops').all()).toEqual([{ op_id: 'op-1' }]);
    expect(db.prepare('SELECT count(*) AS n FROM op_devices').get()).toEqual({ n: 0 });
  });

  it('starts with one random epoch, and holds no device row for an op it does not have', () => {
    const rows = db.prepare<[], { epoch: string }>('SELECT epoch FROM service_epoch').all();
    expect(rows).toEqual([{ epoch: expect.stringMatching(/^[0-9a-f]{32}$/) as string }]);
    expect(() =>
      db.exec("INSERT INTO service_epoch (id, epoch, changed_at) VALUES (2, '" + 'a'.repeat(32) + "', 0)"),
    ).toThrow(/CHECK constraint failed/);
    expect(() => db.exec("INSERT INTO op_devices (op_id, account, key_id) VALUES ('op-9', 'r', 'k')")).toThrow(
      /FOREIGN KEY constraint failed/,
    );
  });
});
