import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../../service/store/sqlite/migrations';

describe('service migration 0012 (withdrawals in the export)', () => {
  let db: Database.Database;

  const before = (withOps: boolean): void => {
    db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version <= 11),
    );
    db.exec(`
      INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES ('r', 'p-r', 'reviewer', 'x', 'S');
      INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at) VALUES ('b1', 'r', 'en', 0, 1);
      INSERT INTO batch_clips (batch_id, clip_id, ordinal, details) VALUES
        ('b1', 'c0', 0, '{"id":"c0","consent":"granted"}'),
        ('b1', 'c1', 1, '{"id":"c1","consent":"withdrawn"}'),
        ('b1', 'c2', 2, '{"id":"c2","consent":"withdrawn"}');
    `);
    if (withOps) {
      const op = db.prepare(
        "INSERT INTO ops (op_id, kind, account, payload_hash, payload, received_at, source) VALUES (?, 'annotation', 'r', x'00', '{}', 0, 'online')",
      );
      op.run('op-1');
      op.run('op-2');
    }
    migrate(
      db,
      migrations.filter((m) => m.version <= 12),
    );
  };
  const nextOpSeq = (): number =>
    Number(
      db
        .prepare(
          "INSERT INTO ops (op_id, kind, account, payload_hash, payload, received_at, source) VALUES ('op-next', 'audit', 'r', x'00', '{}', 0, 'online')",
        )
        .run().lastInsertRowid,
    );
  afterEach(() => {
    db.close();
  });

  it('numbers each clip withdrawn before it after every op stored, and the next op after those', () => {
    before(true);
    expect(schemaVersion(db)).toBe(12);
    expect(db.prepare('SELECT seq, batch_id, clip_id FROM clip_withdrawals ORDER BY seq').all()).toEqual([
      { seq: 3, batch_id: 'b1', clip_id: 'c1' },
      { seq: 4, batch_id: 'b1', clip_id: 'c2' },
    ]);
    expect(nextOpSeq()).toBe(5);
  });

  it('numbers them from 1 on a store that holds no op yet', () => {
    before(false);
    expect(db.prepare('SELECT seq FROM clip_withdrawals ORDER BY seq').all()).toEqual([{ seq: 1 }, { seq: 2 }]);
    expect(nextOpSeq()).toBe(3);
  });
});
