/**
 * What an account's stored ops say for its shift figures, on PostgreSQL: when its escalations
 * were saved and under which category (never their notes), and which annotation revisions the
 * service holds from it.
 */
import { isEscalationCategory } from '../../../shared/domain/annotation';
import type { HeldRevision, OpRepository } from '../repositories';
import type { PgDb } from './db';

export function pgAccountOpReads(
  db: PgDb,
): Pick<OpRepository, 'escalationTimes' | 'escalationCategories' | 'heldRevisions'> {
  return {
    // Only the time is read: the note of an escalation never leaves this query.
    async escalationTimes(account, from, to) {
      const rows = await db.query<{ at: number }>(
        `SELECT created_at AS at FROM ops
        WHERE kind = 'escalation' AND account = $1 AND created_at BETWEEN $2 AND $3 ORDER BY at`,
        [account, from, to],
      );
      return rows.map((r) => r.at);
    },
    // The time and the category, a label: the note stays in the payload.
    async escalationCategories(account, from, to) {
      const rows = await db.query<{ at: number; category: string | null }>(
        `SELECT created_at AS at, category FROM ops
        WHERE kind = 'escalation' AND account = $1 AND created_at BETWEEN $2 AND $3 ORDER BY at, op_id`,
        [account, from, to],
      );
      return rows.flatMap((r) => (isEscalationCategory(r.category) ? [{ at: r.at, category: r.category }] : []));
    },
    async heldRevisions(account, batchIds) {
      if (batchIds.length === 0) {
        return [];
      }
      return db.query<HeldRevision>(
        `SELECT r.batch_id AS "batchId", r.clip_id AS "clipId", r.revision FROM annotation_revisions r
        JOIN ops o ON o.op_id = r.op_id
        WHERE o.account = $1 AND r.batch_id = ANY($2::text[])`,
        [account, [...batchIds]],
      );
    },
  };
}
