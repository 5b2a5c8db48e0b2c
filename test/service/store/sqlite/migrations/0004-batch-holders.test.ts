import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../../service/store/sqlite/migrations';

describe('service migration 0004 (batch holders)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version <= 3),
    );
    db.exec(`
      INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES ('r', 'rv-1', 'reviewer', 'h', 's');
      INSERT INTO devices (account, key_id, encryption_key, signing_key, enrolled_at) VALUES ('r', 'k1', x'00', x'01', 5);
      INSERT INTO devices (account, key_id, encryption_key, signing_key, enrolled_at) VALUES ('r', 'k2', x'02', x'03', 6);
      INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at) VALUES ('b1', 'r', 'en-US', 0, 99);
      INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at) VALUES ('b2', 'r', 'en-US', 0, 99);
      INSERT INTO checkouts (account, key_id, batch_id, at) VALUES ('r', 'k1', 'b1', 10);
      INSERT INTO checkouts (account, key_id, batch_id, at) VALUES ('r', 'k2', 'b1', 20);
      INSERT INTO checkouts (account, key_id, batch_id, at) VALUES ('r', 'k1', 'b2', 30);
    `);
    migrate(
      db,
      migrations.filter((m) => m.version <= 4),
    );
  });
  afterEach(() => {
    db.close();
  });

  it('leaves each batch one holder: the latest checkout keeps it, the earlier one is released as forced', () => {
    expect(schemaVersion(db)).toBe(4);
    expect(
      db.prepare('SELECT key_id, batch_id, released_at, release_kind FROM checkouts ORDER BY batch_id, key_id').all(),
    ).toEqual([
      { key_id: 'k1', batch_id: 'b1', released_at: 10, release_kind: 'forced' },
      { key_id: 'k2', batch_id: 'b1', released_at: null, release_kind: null },
      { key_id: 'k1', batch_id: 'b2', released_at: null, release_kind: null },
    ]);
  });

  it('refuses a second holder of one batch and a release kind it does not know', () => {
    expect(() => db.exec("INSERT INTO checkouts (account, key_id, batch_id, at) VALUES ('r', 'k2', 'b2', 40)")).toThrow(
      /UNIQUE/,
    );
    expect(() => db.exec("UPDATE checkouts SET release_kind = 'lost' WHERE batch_id = 'b2'")).toThrow(/CHECK/);
  });
});
