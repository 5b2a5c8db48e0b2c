/**
 * Escalations (the `escalation` ops reviewers sent), supervisors' answers to them and the
 * operator's inbox settings, in SQLite. An escalation's status is its `escalation_states` row,
 * written with each answer; an escalation without one is open.
 */
import type { Database } from 'better-sqlite3';
import { escalationCategories, type EscalationCategory } from '../../../shared/domain/annotation';
import {
  DEFAULT_REFERRAL_TARGETS,
  DEFAULT_URGENT_AFTER_MS,
  inboxSettingsSchema,
  type EscalationAction,
  type EscalationStatus,
} from '../../../shared/sync/escalation-inbox';
import type { EscalationRepository, EscalationResponseRow, EscalationRow } from '../escalation-repositories';
import type { Sync } from './unit-of-work';

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
   WHERE o.kind = 'escalation' AND json_extract(o.payload, '$.withdrawn') IS NULL`;
const ORDER = `ORDER BY json_extract(o.payload, '$.createdAt'), o.seq`;

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

export function sqliteEscalationRepository(db: Database): Sync<EscalationRepository> {
  const withStatus = db.prepare<[EscalationStatus], DbRow>(`${SELECT} AND coalesce(s.status, 'open') = ? ${ORDER}`);
  const ofAccount = db.prepare<[string], DbRow>(`${SELECT} AND o.account = ? ${ORDER}`);
  const find = db.prepare<[string], DbRow>(`${SELECT} AND o.op_id = ?`);
  const RESPONSE = `SELECT r.response_id, r.op_id, r.account, a.pseudonym, r.action, r.body, r.body_hash,
         r.status_after, r.at FROM escalation_responses r JOIN accounts a ON a.account = r.account`;
  const responsesOf = db.prepare<[string], ResponseDbRow>(
    `${RESPONSE} WHERE r.op_id IN (SELECT value FROM json_each(?)) ORDER BY r.seq`,
  );
  const findResponse = db.prepare<[string], ResponseDbRow>(`${RESPONSE} WHERE r.response_id = ?`);
  const insertResponse = db.prepare<
    [string, string, string, EscalationAction, Buffer, string, EscalationStatus, number]
  >(
    `INSERT INTO escalation_responses (response_id, op_id, account, action, body_hash, body, status_after, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertState = db.prepare<[string, EscalationStatus, number]>(
    `INSERT INTO escalation_states (op_id, status, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (op_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
  );
  const addResponse = db.transaction((r: Parameters<Sync<EscalationRepository>['addResponse']>[0]) => {
    insertResponse.run(r.responseId, r.opId, r.account, r.action, r.bodyHash, r.body, r.statusAfter, r.at);
    upsertState.run(r.opId, r.statusAfter, r.at);
  });
  const settingRows = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM inbox_settings');
  const setSetting = db.prepare<[string, string, number, string]>(
    `INSERT INTO inbox_settings (key, value, changed_at, changed_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at,
       changed_by = excluded.changed_by`,
  );

  return {
    withStatus: (status) => rows(withStatus.all(status)),
    ofAccount: (account) => rows(ofAccount.all(account)),
    find: (opId) => {
      const r = find.get(opId);
      return (r && toRow(r)) ?? undefined;
    },
    responses: (opIds) => responsesOf.all(JSON.stringify(opIds)).map(toResponse),
    findResponse: (responseId) => {
      const r = findResponse.get(responseId);
      return r ? toResponse(r) : undefined;
    },
    addResponse: (r) => addResponse.immediate(r),
    settings: () => {
      const stored = Object.fromEntries(settingRows.all().map((r) => [r.key, JSON.parse(r.value) as unknown]));
      // A row damaged by hand falls back to the default rather than closing the inbox.
      const parsed = inboxSettingsSchema.partial().safeParse(stored);
      return {
        urgentAfterMs: (parsed.success ? parsed.data.urgentAfterMs : undefined) ?? DEFAULT_URGENT_AFTER_MS,
        referralTargets: (parsed.success ? parsed.data.referralTargets : undefined) ?? [...DEFAULT_REFERRAL_TARGETS],
      };
    },
    setSetting: (change, at, by) => {
      setSetting.run(change.key, JSON.stringify(change.value), at, by);
    },
  };
}
