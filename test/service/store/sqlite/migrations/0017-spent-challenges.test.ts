import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../../service/store/sqlite/migrations';
import { DROP_EXPIRED_CHALLENGES } from '../../../../../service/store/sqlite/sign-in.repository';

describe('service migration 0017 (spent challenges)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version <= 16),
    );
    // A challenge an earlier release issued and stored, not spent yet.
    db.prepare('INSERT INTO sign_in_challenges (challenge_hash, expires_at) VALUES (?, ?)').run(Buffer.alloc(32), 5);
    migrate(
      db,
      migrations.filter((m) => m.version <= 17),
    );
  });
  afterEach(() => {
    db.close();
  });

  it('keeps no issued challenge, which would read as spent', () => {
    expect(schemaVersion(db)).toBe(17);
    expect(db.prepare('SELECT count(*) AS n FROM spent_challenges').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE '%challenges%' ORDER BY name").all()).toEqual([
      { name: 'spent_challenges' },
      { name: 'spent_challenges_expiry' },
      { name: 'sqlite_autoindex_spent_challenges_1' },
    ]);
  });

  it('forgets spent challenges through an index, not by reading every row', () => {
    const steps = db
      .prepare<[number], { detail: string }>(`EXPLAIN QUERY PLAN ${DROP_EXPIRED_CHALLENGES}`)
      .all(0)
      .map((r) => r.detail);
    expect(steps.filter((d) => /^SCAN\b/.test(d))).toEqual([]);
    expect(steps.some((d) => /^SEARCH .* USING (COVERING )?INDEX/.test(d))).toBe(true);
  });
});
