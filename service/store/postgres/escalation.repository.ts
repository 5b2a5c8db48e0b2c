/**
 * Escalations (the `escalation` ops reviewers sent), supervisors' answers to them and the
 * operator's inbox settings, in PostgreSQL. An escalation's status is its `escalation_states`
 * row, written with each answer; an escalation without one is open.
 */
import { escalationCategories, type EscalationCategory } from '../../../shared/domain/annotation';
import {
  DEFAULT_REFERRAL_TARGETS,
  DEFAULT_URGENT_AFTER_MS,
  inboxSettingsSchema,
  type EscalationAction,
  type EscalationStatus,
} from '../../../shared/sync/escalation-inbox';
import type { EscalationRepository, EscalationResponseRow, EscalationRow } from '../escalation-repositories';
import type { PgDb } from './db';

type DbRow = {
  op_id: string;
  account: string;
  pseudonym: string;
  payload: string;
  received_at: number;
  status: EscalationStatus;
  updated_at: number | null;
};

// An erased op (withdrawn consent) keeps only ids: it is left out here, so nobody reads or answers it.
const SELECT = `SELECT o.op_id, o.account, a.pseudonym, o.payload, o.received_at,
         coalesce(s.status, 'open') AS status, s.updated_at
    FROM ops o JOIN accounts a ON a.account = o.account LEFT JOIN escalation_states s ON s.op_id = o.op_id
   WHERE o.kind = 'escalation' AND NOT o.withdrawn`;
// SQLite sorts a missing createdAt first, as PostgreSQL does with NULLS FIRST.
const ORDER = 'ORDER BY o.created_at NULLS FIRST, o.seq';

const isCategory = (c: unknown): c is EscalationCategory => escalationCategories.some((k) => k === c);

function toRow(r: DbRow): EscalationRow | null {
  const p = JSON.parse(r.payload) as Record<string, unknown>;
  const { batchId, clipId, category, note, createdAt } = p;
  if (typeof batchId !== 'string' || typeof clipId !== 'string' || !isCategory(category)) {
    return null;
  }
  return {
    opId: r.op_id,
    account: r.account,
    pseudonym: r.pseudonym,
    batchId,
    clipId,
    category,
    note: typeof note === 'string' ? note : '',
    createdAt: typeof createdAt === 'number' ? createdAt : r.received_at,
    receivedAt: r.received_at,
    status: r.status,
    updatedAt: r.updated_at,
  };
}

const rows = (list: DbRow[]): EscalationRow[] => list.flatMap((r) => toRow(r) ?? []);

type ResponseDbRow = {
  response_id: string;
  op_id: string;
  account: string;
  pseudonym: string;
  action: EscalationAction;
  body: string;
  body_hash: Buffer;
  status_after: EscalationStatus;
  at: number;
};
const toResponse = (r: ResponseDbRow): EscalationResponseRow => ({
  responseId: r.response_id,
  opId: r.op_id,
  account: r.account,
  pseudonym: r.pseudonym,
  action: r.action,
  body: r.body,
  bodyHash: r.body_hash,
  statusAfter: r.status_after,
  at: r.at,
});

const RESPONSE = `SELECT r.response_id, r.op_id, r.account, a.pseudonym, r.action, r.body, r.body_hash,
       r.status_after, r.at FROM escalation_responses r JOIN accounts a ON a.account = r.account`;

export function pgEscalationRepository(db: PgDb): EscalationRepository {
  return {
    withStatus: async (status) =>
      rows(await db.query<DbRow>(`${SELECT} AND coalesce(s.status, 'open') = $1 ${ORDER}`, [status])),
    ofAccount: async (account) => rows(await db.query<DbRow>(`${SELECT} AND o.account = $1 ${ORDER}`, [account])),
    async find(opId) {
      const [r] = await db.query<DbRow>(`${SELECT} AND o.op_id = $1`, [opId]);
      return (r && toRow(r)) ?? undefined;
    },
    responses: async (opIds) =>
      (await db.query<ResponseDbRow>(`${RESPONSE} WHERE r.op_id = ANY($1::text[]) ORDER BY r.seq`, [[...opIds]])).map(
        toResponse,
      ),
    async findResponse(responseId) {
      const [r] = await db.query<ResponseDbRow>(`${RESPONSE} WHERE r.response_id = $1`, [responseId]);
      return r ? toResponse(r) : undefined;
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
      const list = await db.query<{ key: string; value: string }>('SELECT key, value FROM inbox_settings');
      const stored = Object.fromEntries(list.map((r) => [r.key, JSON.parse(r.value) as unknown]));
      // A row damaged by hand falls back to the default rather than closing the inbox.
      const parsed = inboxSettingsSchema.partial().safeParse(stored);
      return {
        urgentAfterMs: (parsed.success ? parsed.data.urgentAfterMs : undefined) ?? DEFAULT_URGENT_AFTER_MS,
        referralTargets: (parsed.success ? parsed.data.referralTargets : undefined) ?? [...DEFAULT_REFERRAL_TARGETS],
      };
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
