/**
 * Escalations (the `escalation` ops reviewers sent), supervisors' answers to them and the
 * operator's inbox settings, in SQLite. An escalation's status is its `escalation_states` row,
 * written with each answer; an escalation without one is open.
 */
import type { Database } from 'better-sqlite3';
import type { EscalationAction, EscalationStatus } from '../../../shared/sync/escalation-inbox';
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
import type { Sync } from './unit-of-work';

// An erased op (withdrawn consent) keeps only ids: it is left out here, so nobody reads or answers it.
const SELECT = `SELECT o.op_id, o.account, a.pseudonym, o.payload, o.received_at,
         coalesce(s.status, 'open') AS status, s.updated_at
    FROM ops o JOIN accounts a ON a.account = o.account LEFT JOIN escalation_states s ON s.op_id = o.op_id
   WHERE o.kind = 'escalation' AND json_extract(o.payload, '$.withdrawn') IS NULL`;
const ORDER = `ORDER BY json_extract(o.payload, '$.createdAt'), o.seq`;

export function sqliteEscalationRepository(db: Database): Sync<EscalationRepository> {
  const withStatus = db.prepare<[EscalationStatus], RawEscalation>(
    `${SELECT} AND coalesce(s.status, 'open') = ? ${ORDER}`,
  );
  // Walks the closed ones newest first by their index (CROSS JOIN keeps it the outer loop: without
  // statistics the planner would start from every escalation op), so a listing stops at its limit.
  // A tie in time is sorted as `withStatus` sorts, so the same ones make the limit on either store.
  const closedSeenBy = db.prepare<{ accounts: string; caller: string; limit: number }, RawEscalation>(
    `SELECT o.op_id, o.account, a.pseudonym, o.payload, o.received_at, s.status, s.updated_at
       FROM escalation_states s INDEXED BY escalation_states_status
       CROSS JOIN ops o ON o.op_id = s.op_id JOIN accounts a ON a.account = o.account
      WHERE s.status = 'closed' AND o.kind = 'escalation' AND json_extract(o.payload, '$.withdrawn') IS NULL
        AND (o.account IN (SELECT value FROM json_each(@accounts))
             OR EXISTS (SELECT 1 FROM escalation_responses r WHERE r.op_id = o.op_id AND r.account = @caller))
      ORDER BY s.updated_at DESC, json_extract(o.payload, '$.createdAt'), o.seq LIMIT @limit`,
  );
  const ofAccount = db.prepare<[string], RawEscalation>(`${SELECT} AND o.account = ? ${ORDER}`);
  const find = db.prepare<[string], RawEscalation>(`${SELECT} AND o.op_id = ?`);
  const responsesOf = db.prepare<[string], RawEscalationResponse>(
    `${SELECT_ESCALATION_RESPONSES} WHERE r.op_id IN (SELECT value FROM json_each(?)) ORDER BY r.seq`,
  );
  const findResponse = db.prepare<[string], RawEscalationResponse>(
    `${SELECT_ESCALATION_RESPONSES} WHERE r.response_id = ?`,
  );
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
    withStatus: (status) => toEscalations(withStatus.all(status)),
    closedSeenBy: (accounts, caller, limit) =>
      toEscalations(closedSeenBy.all({ accounts: JSON.stringify(accounts), caller, limit })),
    ofAccount: (account) => toEscalations(ofAccount.all(account)),
    find: (opId) => {
      const r = find.get(opId);
      return (r && toEscalation(r)) ?? undefined;
    },
    responses: (opIds) => responsesOf.all(JSON.stringify(opIds)).map(toEscalationResponse),
    findResponse: (responseId) => {
      const r = findResponse.get(responseId);
      return r ? toEscalationResponse(r) : undefined;
    },
    addResponse: (r) => addResponse.immediate(r),
    settings: () => toInboxSettings(settingRows.all()),
    setSetting: (change, at, by) => {
      setSetting.run(change.key, JSON.stringify(change.value), at, by);
    },
  };
}
