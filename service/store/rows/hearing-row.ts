/** Second-listen requests and clip grants as both stores read them, and how rows become the repository's types. */
import type { HearingKind } from '../../../shared/sync/hearing-messages';
import type { ClipGrant, EscalationClip, ListenRequestRow } from '../hearing-repositories';
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
