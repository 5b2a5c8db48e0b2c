import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent, ServiceStore } from '../../../../service/store/repositories';
import { migrate } from '../../../../service/store/sqlite/migrate';
import { openSqliteServiceStore } from '../../../../service/store/sqlite/service-store';

const event = (action: string, over: Partial<AuditEvent> = {}): AuditEvent => ({
  at: 1000,
  actor: 'op-ana',
  source: '127.0.0.1',
  action,
  outcome: 'ok',
  code: null,
  subject: 'k-1',
  detail: { clips: 3 },
  ...over,
});

describe('service audit trail', () => {
  let store: ServiceStore;
  beforeEach(() => {
    store = openSqliteServiceStore(':memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps every event in order, with who, when, where and what', async () => {
    await store.audit.append(event('device.enrol'));
    await store.audit.append(event('batch.checkout', { outcome: 'refused', code: 'device_pending', actor: null }));
    const rows = await store.audit.list({ afterSeq: 0, limit: 10 });
    expect(rows.map((r) => [r.seq, r.action, r.outcome, r.code, r.actor])).toEqual([
      [1, 'device.enrol', 'ok', null, 'op-ana'],
      [2, 'batch.checkout', 'refused', 'device_pending', null],
    ]);
    expect(rows[0]).toMatchObject({ at: 1000, source: '127.0.0.1', subject: 'k-1', detail: { clips: 3 } });
    expect(await store.audit.list({ afterSeq: 1, limit: 10, action: 'batch.checkout' })).toHaveLength(1);
    expect(await store.audit.list({ afterSeq: 0, limit: 1 })).toHaveLength(1);
  });

  it('is dropped with a unit of work that rolls back', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.audit.append(event('admin.devices.approve'));
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await store.audit.list({ afterSeq: 0, limit: 10 })).toEqual([]);
  });

  it('refuses UPDATE and DELETE at the database, so rows cannot be rewritten', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare(
      "INSERT INTO audit_events (at, actor, source, action, outcome) VALUES (1, 'a', 'cli', 'admin.x', 'ok')",
    ).run();
    expect(() => db.exec("UPDATE audit_events SET actor = 'b'")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM audit_events')).toThrow(/append-only/);
    expect(db.prepare('SELECT actor FROM audit_events').pluck().get()).toBe('a');
    db.close();
  });
});
