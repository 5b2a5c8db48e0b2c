import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../../service/store/sqlite/migrations';
import { PRUNE_FAILURES } from '../../../../../service/store/sqlite/sign-in.repository';

/** The statement this migration was made for; migration 0017 renamed the table (its test checks the new one). */
const DROP_EXPIRED_ISSUED = 'DELETE FROM sign_in_challenges WHERE expires_at <= ?';

describe('service migration 0014 (sign-in expiry indexes)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version <= 13),
    );
    db.prepare('INSERT INTO sign_in_challenges (challenge_hash, expires_at) VALUES (?, ?)').run(Buffer.alloc(32), 5);
    db.prepare('INSERT INTO sign_in_failures (name, source, at) VALUES (?, ?, ?)').run('reviewer', '10.0.0.1', 7);
    migrate(
      db,
      migrations.filter((m) => m.version <= 14),
    );
  });
  afterEach(() => {
    db.close();
  });

  const plan = (sql: string): string[] =>
    db
      .prepare<[number], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(0)
      .map((r) => r.detail);

  it('keeps what was there', () => {
    expect(schemaVersion(db)).toBe(14);
    expect(db.prepare('SELECT expires_at FROM sign_in_challenges').all()).toEqual([{ expires_at: 5 }]);
    expect(db.prepare('SELECT at FROM sign_in_failures').all()).toEqual([{ at: 7 }]);
  });

  it('drops expired challenges and old failures through an index, not by reading every row', () => {
    for (const sql of [DROP_EXPIRED_ISSUED, PRUNE_FAILURES]) {
      const steps = plan(sql);
      expect(
        steps.filter((d) => /^SCAN\b/.test(d)),
        sql,
      ).toEqual([]);
      expect(
        steps.some((d) => /^SEARCH .* USING (COVERING )?INDEX/.test(d)),
        sql,
      ).toBe(true);
    }
  });
});
