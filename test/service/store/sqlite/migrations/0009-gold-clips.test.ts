import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../../service/store/sqlite/migrations';

describe('service migration 0009 (gold clips)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version < 9),
    );
    db.exec(`
      INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES ('r', 'rv-1', 'reviewer', 'h', 's');
      INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at) VALUES ('b-AAAAAAAAAAAA0001', 'r', 'en-US', 1, 9);
      INSERT INTO batch_clips (batch_id, clip_id, ordinal, details, audio) VALUES ('b-AAAAAAAAAAAA0001', 'c-AAAAAAAAAAAA0001', 0, '{}', x'00');
      INSERT INTO ops (op_id, kind, account, payload_hash, payload, received_at, source)
        VALUES ('op-1', 'annotation', 'r', x'00', '{}', 1, 'online');
    `);
    migrate(
      db,
      migrations.filter((m) => m.version <= 9),
    );
  });
  afterEach(() => {
    db.close();
  });

  it('reaches version 9 with STRICT gold tables, keeping batches and ops', () => {
    expect(schemaVersion(db)).toBe(9);
    const strict = db
      .prepare<[], { strict: number }>(
        "SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name LIKE 'gold_%' ORDER BY name",
      )
      .all();
    expect(strict).toEqual([{ strict: 1 }, { strict: 1 }, { strict: 1 }]);
    expect(db.prepare('SELECT clip_id FROM batch_clips').all()).toEqual([{ clip_id: 'c-AAAAAAAAAAAA0001' }]);
  });

  it('takes a use only of a known gold clip and batch clip, once per batch, and a score only of a use', () => {
    db.exec(`INSERT INTO gold_clips (gold_id, locale, details, audio, reference, disposition, created_at, created_by)
             VALUES ('g-AAAAAAAAAAAA0001', 'en-US', '{}', x'00', 'ref', 'transcribed', 1, 'alice')`);
    const use = db.prepare(
      "INSERT INTO gold_uses (batch_id, clip_id, gold_id, mixed_at, mixed_by) VALUES ('b-AAAAAAAAAAAA0001', ?, ?, 1, 'alice')",
    );
    expect(() => use.run('c-AAAAAAAAAAAA0009', 'g-AAAAAAAAAAAA0001')).toThrow(/FOREIGN KEY/);
    expect(() => use.run('c-AAAAAAAAAAAA0001', 'g-AAAAAAAAAAAA0009')).toThrow(/FOREIGN KEY/);
    use.run('c-AAAAAAAAAAAA0001', 'g-AAAAAAAAAAAA0001');
    const score = db.prepare(
      `INSERT INTO gold_scores (op_id, account, batch_id, clip_id, revision, ref_words, correct, substitutions,
         deletions, insertions, disposition_agreed, scored_at) VALUES ('op-1', 'r', 'b-AAAAAAAAAAAA0001', ?, 1, 3, 3, 0, 0, 0, ?, 1)`,
    );
    expect(() => score.run('c-AAAAAAAAAAAA0009', 1)).toThrow(/FOREIGN KEY/);
    expect(() => score.run('c-AAAAAAAAAAAA0001', 2)).toThrow(/CHECK/);
    score.run('c-AAAAAAAAAAAA0001', 1);
    expect(db.prepare('SELECT count(*) AS n FROM gold_scores').get()).toEqual({ n: 1 });
  });
});
