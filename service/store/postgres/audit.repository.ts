/** The service's audit trail in PostgreSQL: inserts and reads only (the table refuses the rest). */
import type { AuditRepository } from '../repositories';
import { toAuditRow, type RawAuditEvent } from '../rows/audit-row';
import type { PgDb } from './db';

export function pgAuditRepository(db: PgDb): AuditRepository {
  return {
    async append(e) {
      await db.execute(
        `INSERT INTO audit_events (at, actor, source, action, outcome, code, subject, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [e.at, e.actor, e.source, e.action, e.outcome, e.code, e.subject, JSON.stringify(e.detail)],
      );
    },
    async list({ afterSeq, limit, action }) {
      const rows = await db.query<RawAuditEvent>(
        `SELECT * FROM audit_events WHERE seq > $1 AND ($2::text IS NULL OR action = $2) ORDER BY seq LIMIT $3`,
        [afterSeq, action ?? null, limit],
      );
      return rows.map(toAuditRow);
    },
  };
}
