import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { makeTempDir } from '../../../support/temp-dir';

describe('migration 0005 (sync)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  const addOp = (
    opId: string,
    kind: string,
    extra: Partial<Record<'batch_id' | 'clip_id' | 'revision' | 'audit_type', string | number | null>> = {},
  ) =>
    db
      .prepare(
        'INSERT INTO outbox (op_id, kind, author, batch_id, clip_id, revision, audit_type, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0)',
      )
      .run(
        opId,
        kind,
        'rv-1',
        extra.batch_id ?? null,
        extra.clip_id ?? null,
        extra.revision ?? null,
        extra.audit_type ?? null,
      );

  it('upgrades a version-4 database that holds work, keeping it and adding empty STRICT sync tables', () => {
    migrate(
      db,
      migrations.filter((m) => m.version <= 4),
    );
    db.exec(
      "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status) VALUES ('b1', 'en-US', 1, 0, 9, 0, 'active')",
    );
    expect(
      migrate(
        db,
        migrations.filter((m) => m.version <= 5),
      ),
    ).toEqual([5]);
    expect(db.prepare('SELECT id FROM batches').all()).toEqual([{ id: 'b1' }]);
    const tables = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name IN ('outbox', 'sync_batches') ORDER BY name",
      )
      .all();
    expect(tables).toEqual([
      { name: 'outbox', strict: 1 },
      { name: 'sync_batches', strict: 1 },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });
  });

  it('keeps op ids unique and requires what each kind of op names', () => {
    migrate(db);
    addOp('op-1', 'annotation', { batch_id: 'b1', clip_id: 'c1', revision: 1 });
    expect(() => addOp('op-1', 'annotation', { batch_id: 'b1', clip_id: 'c1', revision: 2 })).toThrow(
      /UNIQUE constraint failed: outbox.op_id/,
    );
    expect(() => addOp('op-2', 'annotation', { batch_id: 'b1', clip_id: 'c1' })).toThrow(/CHECK constraint failed/);
    expect(() => addOp('op-3', 'escalation', { batch_id: 'b1' })).toThrow(/CHECK constraint failed/);
    expect(() => addOp('op-4', 'audit')).toThrow(/CHECK constraint failed/);
    expect(() => addOp('op-5', 'upload', { audit_type: 'x' })).toThrow(/CHECK constraint failed/);
    addOp('op-6', 'audit', { audit_type: 'signed_in' });
    expect(db.prepare('SELECT op_id, state, attempts FROM outbox ORDER BY seq').all()).toEqual([
      { op_id: 'op-1', state: 'pending', attempts: 0 },
      { op_id: 'op-6', state: 'pending', attempts: 0 },
    ]);
  });

  it('refuses an acknowledged op without a time and a parked op without a reason', () => {
    migrate(db);
    addOp('op-1', 'audit', { audit_type: 'signed_in' });
    expect(() => db.exec("UPDATE outbox SET state = 'acked' WHERE op_id = 'op-1'")).toThrow(/CHECK constraint failed/);
    expect(() => db.exec("UPDATE outbox SET state = 'parked', parked_at = 1 WHERE op_id = 'op-1'")).toThrow(
      /CHECK constraint failed/,
    );
    db.exec("UPDATE outbox SET state = 'parked', parked_at = 1, park_reason = 'conflict' WHERE op_id = 'op-1'");
    expect(db.prepare('SELECT state, park_reason FROM outbox').get()).toEqual({
      state: 'parked',
      park_reason: 'conflict',
    });
  });

  it('ties a service batch to a batch on this workstation', () => {
    migrate(db);
    expect(() => db.exec("INSERT INTO sync_batches (batch_id, source) VALUES ('nope', 'checkout')")).toThrow(
      /FOREIGN KEY constraint failed/,
    );
    db.exec(
      "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status) VALUES ('b1', 'en-US', 1, 0, 9, 0, 'active')",
    );
    expect(() => db.exec("INSERT INTO sync_batches (batch_id, source) VALUES ('b1', 'email')")).toThrow(
      /CHECK constraint failed/,
    );
    db.exec("INSERT INTO sync_batches (batch_id, source) VALUES ('b1', 'checkout')");
    expect(db.prepare('SELECT batch_id, source, service_status FROM sync_batches').all()).toEqual([
      { batch_id: 'b1', source: 'checkout', service_status: null },
    ]);
  });
});
