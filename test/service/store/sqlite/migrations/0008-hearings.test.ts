import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../../service/store/sqlite/migrations';

describe('service migration 0008 (hearings)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version < 8),
    );
    db.exec(`
      INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES ('r', 'rv-1', 'reviewer', 'h', 's');
      INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at)
        VALUES ('b-AAAAAAAAAAAA0001', 'r', 'en-US', 1, 2);
    `);
    migrate(
      db,
      migrations.filter((m) => m.version <= 8),
    );
  });
  afterEach(() => {
    db.close();
  });

  it('reaches version 8 with STRICT tables for requests and grants, keeping the batches', () => {
    expect(schemaVersion(db)).toBe(8);
    const strict = db
      .prepare<[], { strict: number }>(
        "SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name IN ('listen_requests', 'clip_grants')",
      )
      .all();
    expect(strict).toEqual([{ strict: 1 }, { strict: 1 }]);
    expect(db.prepare('SELECT batch_id FROM batches').all()).toEqual([{ batch_id: 'b-AAAAAAAAAAAA0001' }]);
  });

  it('takes requests of known accounts and batches only, and a proposal only from a taker', () => {
    const add = db.prepare(
      `INSERT INTO listen_requests (request_id, requester, batch_id, clip_id, span_start, span_end, window_start,
         window_end, created_at) VALUES (?, ?, ?, 'c-AAAAAAAAAAAA0001', 0, 4, 0, 900, 1)`,
    );
    add.run('q1', 'r', 'b-AAAAAAAAAAAA0001');
    expect(() => add.run('q2', 'nobody', 'b-AAAAAAAAAAAA0001')).toThrow(/FOREIGN KEY/);
    expect(() => add.run('q3', 'r', 'b-AAAAAAAAAAAA0009')).toThrow(/FOREIGN KEY/);
    expect(() => add.run('q1', 'r', 'b-AAAAAAAAAAAA0001')).toThrow(/UNIQUE/);
    expect(() => db.exec("UPDATE listen_requests SET proposal = 'x', proposed_at = 2")).toThrow(/CHECK/);
    expect(() => db.exec("UPDATE listen_requests SET decision = 'maybe', decided_at = 2")).toThrow(/CHECK/);
  });
});
