/** The service's audit trail in SQLite: inserts and reads only (the table refuses the rest). */
import type { Database } from 'better-sqlite3';
import type { AuditRepository } from '../repositories';
import { toAuditRow, type RawAuditEvent } from '../rows/audit-row';
import type { Sync } from './unit-of-work';

export function sqliteAuditRepository(db: Database): Sync<AuditRepository> {
  const insert = db.prepare<[number, string | null, string, string, string, string | null, string | null, string]>(
    'INSERT INTO audit_events (at, actor, source, action, outcome, code, subject, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const all = db.prepare<[number, number], RawAuditEvent>(
    'SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const ofAction = db.prepare<[number, string, number], RawAuditEvent>(
    'SELECT * FROM audit_events WHERE seq > ? AND action = ? ORDER BY seq LIMIT ?',
  );
  return {
    append: (e) => {
      insert.run(e.at, e.actor, e.source, e.action, e.outcome, e.code, e.subject, JSON.stringify(e.detail));
    },
    list: ({ afterSeq, limit, action }) =>
      (action === undefined ? all.all(afterSeq, limit) : ofAction.all(afterSeq, action, limit)).map(toAuditRow),
  };
}
