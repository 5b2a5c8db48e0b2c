import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../service/store/sqlite/migrate';
import { migration0001 } from '../../../../../service/store/sqlite/migrations/0001-initial';

const TABLES = [
  'accounts',
  'annotation_revisions',
  'batch_clips',
  'batches',
  'current_annotations',
  'devices',
  'ops',
  'service_keys',
  'sessions',
  'timing_records',
];

describe('service migration 0001 (initial)', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, [migration0001]);
    db.exec(`
      INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES ('r', 'rv-1', 'reviewer', 'h', 's');
      INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at) VALUES ('b1', 'r', 'en-US', 0, 1);
    `);
  });
  afterEach(() => {
    db.close();
  });

  const insertOp = (opId: string, kind = 'annotation', source = 'online') =>
    db
      .prepare(
        "INSERT INTO ops (op_id, kind, account, payload_hash, payload, received_at, source) VALUES (?, ?, 'r', x'00', '{}', 0, ?)",
      )
      .run(opId, kind, source);

  it('reaches version 1 with every table STRICT', () => {
    expect(schemaVersion(db)).toBe(1);
    const rows = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all();
    expect(rows).toEqual(TABLES.map((name) => ({ name, strict: 1 })));
  });

  it('keeps an op id unique forever and numbers ops in arrival order', () => {
    const first = insertOp('op-1').lastInsertRowid;
    expect(() => insertOp('op-1')).toThrow(/UNIQUE constraint failed: ops.op_id/);
    expect(Number(insertOp('op-2').lastInsertRowid)).toBeGreaterThan(Number(first));
  });

  it('accepts only the known op kinds, sources and roles', () => {
    expect(() => insertOp('op-k', 'comment')).toThrow(/CHECK constraint failed/);
    expect(() => insertOp('op-s', 'audit', 'email')).toThrow(/CHECK constraint failed/);
    expect(() =>
      db.exec(
        "INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES ('x', 'p', 'admin', 'h', 's')",
      ),
    ).toThrow(/CHECK constraint failed/);
  });

  it('allows one op per clip revision, revisions from 1, for a stored op of a known batch', () => {
    insertOp('op-1');
    insertOp('op-2');
    const revise = db.prepare(
      'INSERT INTO annotation_revisions (op_id, batch_id, clip_id, revision) VALUES (?, ?, ?, ?)',
    );
    revise.run('op-1', 'b1', 'c1', 1);
    expect(() => revise.run('op-2', 'b1', 'c1', 1)).toThrow(/UNIQUE constraint failed/);
    expect(() => revise.run('op-2', 'b1', 'c1', 0)).toThrow(/CHECK constraint failed/);
    expect(() => revise.run('op-missing', 'b1', 'c1', 2)).toThrow(/FOREIGN KEY constraint failed/);
    expect(() => revise.run('op-2', 'b-AAAAAAAAAM1SS1NG', 'c1', 2)).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('keys sessions, devices, clips and timing records as the service looks them up', () => {
    db.prepare("INSERT INTO sessions (token_hash, account, created_at, expires_at) VALUES (x'01', 'r', 0, 1)").run();
    expect(() =>
      db.prepare("INSERT INTO sessions (token_hash, account, created_at, expires_at) VALUES (x'01', 'r', 0, 1)").run(),
    ).toThrow(/UNIQUE|PRIMARY KEY/);
    const device = db.prepare(
      "INSERT INTO devices (account, key_id, encryption_key, signing_key, enrolled_at) VALUES (?, 'k1', x'00', x'00', 0)",
    );
    device.run('r');
    expect(() => device.run('r')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => device.run('nobody')).toThrow(/FOREIGN KEY constraint failed/);
    const clip = db.prepare(
      "INSERT INTO batch_clips (batch_id, clip_id, ordinal, details) VALUES ('b1', 'c1', ?, '{}')",
    );
    clip.run(0);
    expect(() => clip.run(1)).toThrow(/UNIQUE|PRIMARY KEY/);
    const timing = db.prepare(
      "INSERT INTO timing_records (id, account, kind, body, received_at) VALUES ('t1', 'r', 'clip', '{}', 0)",
    );
    timing.run();
    expect(() => timing.run()).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('rejects a value of the wrong type instead of coercing it', () => {
    expect(() =>
      db
        .prepare(
          "INSERT INTO batches (batch_id, assigned_to, locale, created_at, expires_at) VALUES ('b2', 'r', 'en', ?, 1)",
        )
        .run('yesterday'),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
  });
});
