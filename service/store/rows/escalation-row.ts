/**
 * Escalations, supervisors' answers and inbox settings as both stores read them, and how rows
 * become the repository's types. Each store selects escalations with its own SQL (how it finds an
 * erased op and sorts by the op's time differ); the rows it gets back are the same.
 */
import { escalationCategories, type EscalationCategory } from '../../../shared/domain/annotation';
import {
  DEFAULT_REFERRAL_TARGETS,
  DEFAULT_URGENT_AFTER_MS,
  inboxSettingsSchema,
  type EscalationAction,
  type EscalationStatus,
  type InboxSettings,
} from '../../../shared/sync/escalation-inbox';
import type { EscalationResponseRow, EscalationRow } from '../escalation-repositories';

/** An escalation op with its reviewer's pseudonym and its status (`open` when it has no state row). */
export type RawEscalation = {
  op_id: string;
  account: string;
  pseudonym: string;
  payload: string;
  received_at: number;
  status: EscalationStatus;
  updated_at: number | null;
};

const isCategory = (c: unknown): c is EscalationCategory => escalationCategories.some((k) => k === c);

/** The escalation a row holds, or null when its payload does not name a batch, clip and category. */
export function toEscalation(r: RawEscalation): EscalationRow | null {
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

/** The escalations of `list`, in order, leaving out any whose payload {@link toEscalation} refuses. */
export const toEscalations = (list: readonly RawEscalation[]): EscalationRow[] =>
  list.flatMap((r) => toEscalation(r) ?? []);

export type RawEscalationResponse = {
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

/**
 * Selects {@link RawEscalationResponse} rows (`r` the response, `a` its author); the caller adds
 * WHERE and ORDER BY.
 */
export const SELECT_ESCALATION_RESPONSES = `SELECT r.response_id, r.op_id, r.account, a.pseudonym, r.action, r.body,
       r.body_hash, r.status_after, r.at FROM escalation_responses r JOIN accounts a ON a.account = r.account`;

export const toEscalationResponse = (r: RawEscalationResponse): EscalationResponseRow => ({
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

/** The inbox settings the `inbox_settings` rows (one JSON value a key) hold, defaults for the rest. */
export function toInboxSettings(rows: readonly { key: string; value: string }[]): InboxSettings {
  const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  // A row damaged by hand falls back to the default rather than closing the inbox.
  const parsed = inboxSettingsSchema.partial().safeParse(stored);
  return {
    urgentAfterMs: (parsed.success ? parsed.data.urgentAfterMs : undefined) ?? DEFAULT_URGENT_AFTER_MS,
    referralTargets: (parsed.success ? parsed.data.referralTargets : undefined) ?? [...DEFAULT_REFERRAL_TARGETS],
  };
}
