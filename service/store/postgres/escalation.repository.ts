/**
 * Escalations (the `escalation` ops reviewers sent), supervisors' answers to them and the
 * operator's inbox settings, in PostgreSQL. An escalation's status is its `escalation_states`
 * row, written with each answer; an escalation without one is open.
 */
import type { EscalationRepository } from '../escalation-repositories';
import {
  SELECT_ESCALATION_RESPONSES,
  toEscalation,
  toEscalationResponse,
  toEscalations,
  toInboxSettings,
  type RawEscalation,
  type RawEscalationResponse,
} from '../rows/escalation-row';
import type { PgDb } from './db';

// An erased op (withdrawn consent) keeps only ids: it is left out here, so nobody reads or answers it.
const SELECT = `SELECT o.op_id, o.account, a.pseudonym, o.payload, o.received_at,
         coalesce(s.status, 'open') AS status, s.updated_at
    FROM ops o JOIN accounts a ON a.account = o.account LEFT JOIN escalation_states s ON s.op_id = o.op_id
   WHERE o.kind = 'escalation' AND NOT o.withdrawn`;
// SQLite sorts a missing createdAt first, as PostgreSQL does with NULLS FIRST.
const ORDER = 'ORDER BY o.created_at NULLS FIRST, o.seq';

export function pgEscalationRepository(db: PgDb): EscalationRepository {
  return {
    withStatus: async (status) =>
      toEscalations(await db.query<RawEscalation>(`${SELECT} AND coalesce(s.status, 'open') = $1 ${ORDER}`, [status])),
    // A tie in time is sorted as `withStatus` sorts, so the same ones make the limit on either store.
    closedSeenBy: async (accounts, caller, limit) =>
      toEscalations(
        await db.query<RawEscalation>(
          `${SELECT} AND s.status = 'closed'
             AND (o.account = ANY($1::text[])
                  OR EXISTS (SELECT 1 FROM escalation_responses r WHERE r.op_id = o.op_id AND r.account = $2))
           ORDER BY s.updated_at DESC, o.created_at NULLS FIRST, o.seq LIMIT $3`,
          [[...accounts], caller, limit],
        ),
      ),
    ofAccount: async (account) =>
      toEscalations(await db.query<RawEscalation>(`${SELECT} AND o.account = $1 ${ORDER}`, [account])),
    async find(opId) {
      const [r] = await db.query<RawEscalation>(`${SELECT} AND o.op_id = $1`, [opId]);
      return (r && toEscalation(r)) ?? undefined;
    },
    responses: async (opIds) =>
      (
        await db.query<RawEscalationResponse>(
          `${SELECT_ESCALATION_RESPONSES} WHERE r.op_id = ANY($1::text[]) ORDER BY r.seq`,
          [[...opIds]],
        )
      ).map(toEscalationResponse),
    async findResponse(responseId) {
      const [r] = await db.query<RawEscalationResponse>(`${SELECT_ESCALATION_RESPONSES} WHERE r.response_id = $1`, [
        responseId,
      ]);
      return r ? toEscalationResponse(r) : undefined;
    },
    // One statement: the answer and the status it leaves commit together, or neither does.
    async addResponse(r) {
      await db.execute(
        `WITH answer AS (
           INSERT INTO escalation_responses (response_id, op_id, account, action, body_hash, body, status_after, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING op_id, status_after, at)
         INSERT INTO escalation_states (op_id, status, updated_at) SELECT op_id, status_after, at FROM answer
         ON CONFLICT (op_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
        [r.responseId, r.opId, r.account, r.action, r.bodyHash, r.body, r.statusAfter, r.at],
      );
    },
    async settings() {
      return toInboxSettings(await db.query<{ key: string; value: string }>('SELECT key, value FROM inbox_settings'));
    },
    async setSetting(change, at, by) {
      await db.execute(
        `INSERT INTO inbox_settings (key, value, changed_at, changed_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at,
           changed_by = excluded.changed_by`,
        [change.key, JSON.stringify(change.value), at, by],
      );
    },
  };
}
