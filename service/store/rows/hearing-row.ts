/** Second-listen requests and clip grants as both stores read them, and how rows become the repository's types. */
import type { HearingKind } from '../../../shared/sync/hearing-messages';
import type { ClipGrant, EscalationClip, ListenRequestRow, NewListenRequestRow } from '../hearing-repositories';
import { fromDbBoolean, type DbBoolean } from './db-values';

export type RawListenRequest = {
  request_id: string;
  requester: string;
  batch_id: string;
  clip_id: string;
  span_start: number;
  span_end: number;
  window_start: number;
  window_end: number;
  created_at: number;
  taken_by: string | null;
  taken_at: number | null;
  proposal: string | null;
  proposed_at: number | null;
  decision: 'accepted' | 'ignored' | null;
  decided_at: number | null;
};

export const toListenRequest = (r: RawListenRequest): ListenRequestRow => ({
  requestId: r.request_id,
  requester: r.requester,
  batchId: r.batch_id,
  clipId: r.clip_id,
  span: { start: r.span_start, end: r.span_end },
  window: { startMs: r.window_start, endMs: r.window_end },
  createdAt: r.created_at,
  takenBy: r.taken_by,
  takenAt: r.taken_at,
  proposal: r.proposal,
  proposedAt: r.proposed_at,
  decision: r.decision,
  decidedAt: r.decided_at,
});

/** The columns a new `listen_requests` row is inserted with, in the order of {@link listenRequestValues}. */
export const LISTEN_REQUEST_INSERT_COLUMNS = `request_id, requester, batch_id, clip_id, span_start, span_end,
  window_start, window_end, created_at`;

/** {@link LISTEN_REQUEST_INSERT_COLUMNS}' values for `r`. */
export const listenRequestValues = (
  r: NewListenRequestRow,
): [string, string, string, string, number, number, number, number, number] => [
  r.requestId,
  r.requester,
  r.batchId,
  r.clipId,
  r.span.start,
  r.span.end,
  r.window.startMs,
  r.window.endMs,
  r.createdAt,
];

export type RawClipGrant = {
  kind: HearingKind;
  subject: string;
  account: string;
  key_id: string;
  batch_id: string;
  clip_id: string;
  granted_at: number;
  expires_at: number;
};

export const toClipGrant = (r: RawClipGrant): ClipGrant => ({
  kind: r.kind,
  subject: r.subject,
  account: r.account,
  keyId: r.key_id,
  batchId: r.batch_id,
  clipId: r.clip_id,
  grantedAt: r.granted_at,
  expiresAt: r.expires_at,
});

/**
 * The ids of an escalation op, read from its payload (SQLite) or the columns copied from it
 * (PostgreSQL); `withdrawn` is the payload's erasure mark, a boolean only on PostgreSQL.
 */
export type RawEscalationClip = {
  account: string;
  batch_id: string | null;
  clip_id: string | null;
  withdrawn: DbBoolean;
};

/** The clip an escalation op names, or undefined when it names none. */
export function toEscalationClip(r: RawEscalationClip): EscalationClip | undefined {
  if (r.batch_id === null || r.clip_id === null) {
    return undefined;
  }
  return { account: r.account, batchId: r.batch_id, clipId: r.clip_id, withdrawn: fromDbBoolean(r.withdrawn) };
}
