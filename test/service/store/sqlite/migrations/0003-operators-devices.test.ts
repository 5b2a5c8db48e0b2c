import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migration0001 } from '../../../../../service/store/sqlite/migrations/0001-initial';
import { migration0002 } from '../../../../../service/store/sqlite/migrations/0002-audit';
import { migration0003 } from '../../../../../service/store/sqlite/migrations/0003-operators-devices';

describe('service migration 0003 (operators and devices)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, [migration0001, migration0002]);
    db.exec(`
      INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES ('r', 'rv-1', 'reviewer', 'h', 's');
      INSERT INTO devices (account, key_id, encryption_key, signing_key, enrolled_at) VALUES ('r', 'k1', x'00', x'01', 5);
      INSERT INTO sessions (token_hash, account, created_at, expires_at) VALUES (x'aa', 'r', 0, 100);
    `);
    migrate(db, [migration0001, migration0002, migration0003]);
  });
  afterEach(() => {
    db.close();
  });

  it('reaches version 3 with every new table STRICT', () => {
    expect(schemaVersion(db)).toBe(3);
    const strict = db
      .prepare<[], { name: string; strict: number }>(
        `SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name IN
         ('operators', 'sessions', 'checkouts', 'enrolment_codes', 'enrolment_attempts', 'sign_in_challenges', 'sign_in_failures')
         ORDER BY name`,
      )
      .all();
    expect(strict.map((r) => r.strict)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('keeps accounts with one device allowed, and makes every device enrolled before it pending', () => {
    expect(db.prepare('SELECT account, max_devices, disabled_at FROM accounts').all()).toEqual([
      { account: 'r', max_devices: 1, disabled_at: null },
    ]);
    expect(db.prepare('SELECT key_id, state, decided_at FROM devices').all()).toEqual([
      { key_id: 'k1', state: 'pending', decided_at: null },
    ]);
  });

  it('drops sessions that were bound to no device', () => {
    expect(db.prepare('SELECT * FROM sessions').all()).toEqual([]);
  });

  it('refuses a device state it does not know', () => {
    expect(() => db.exec("UPDATE devices SET state = 'trusted'")).toThrow(/CHECK/);
  });
});
