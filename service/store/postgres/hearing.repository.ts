/** Second-listen requests and one-clip grants in PostgreSQL. */
import type { HearingKind } from '../../../shared/sync/hearing-messages';
import type { ClipGrant, HearingRepository, ListenRequestRow } from '../hearing-repositories';
import type { PgDb } from './db';

type RequestDbRow = {
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

const toRequest = (r: RequestDbRow): ListenRequestRow => ({
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

type GrantDbRow = {
  kind: HearingKind;
  subject: string;
  account: string;
  key_id: string;
  batch_id: string;
  clip_id: string;
  granted_at: number;
  expires_at: number;
};

const REQUEST_COLUMNS = `r.request_id, r.requester, r.batch_id, r.clip_id, r.span_start, r.span_end, r.window_start,
  r.window_end, r.created_at, r.taken_by, r.taken_at, r.proposal, r.proposed_at, r.decision, r.decided_at`;

export function pgHearingRepository(db: PgDb): HearingRepository {
  return {
    // Only ids are read from the op: its note never leaves this query.
    async escalationClip(opId) {
      const [r] = await db.query<{
        account: string;
        batch_id: string | null;
        clip_id: string | null;
        withdrawn: boolean;
      }>("SELECT account, batch_id, clip_id, withdrawn FROM ops WHERE op_id = $1 AND kind = 'escalation'", [opId]);
      if (!r || r.batch_id === null || r.clip_id === null) {
        return undefined;
      }
      return { account: r.account, batchId: r.batch_id, clipId: r.clip_id, withdrawn: r.withdrawn };
    },
    async shareTeam(a, b) {
      const rows = await db.query(
        `SELECT 1 FROM team_members a JOIN team_members b ON b.team = a.team
          WHERE a.account = $1 AND b.account = $2 LIMIT 1`,
        [a, b],
      );
      return rows.length > 0;
    },
    async addRequest(r) {
      const added = await db.execute(
        `INSERT INTO listen_requests (request_id, requester, batch_id, clip_id, span_start, span_end, window_start,
           window_end, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (request_id) DO NOTHING`,
        [
          r.requestId,
          r.requester,
          r.batchId,
          r.clipId,
          r.span.start,
          r.span.end,
          r.window.startMs,
          r.window.endMs,
          r.createdAt,
        ],
      );
      return added === 1;
    },
    async findRequest(requestId) {
      const [r] = await db.query<RequestDbRow>(
        `SELECT ${REQUEST_COLUMNS} FROM listen_requests r WHERE request_id = $1`,
        [requestId],
      );
      return r ? toRequest(r) : undefined;
    },
    // Conditional updates: of two takers racing, from any process, one finds the row taken.
    take: async (requestId, account, at) =>
      (await db.execute(
        `UPDATE listen_requests SET taken_by = coalesce(taken_by, $1), taken_at = coalesce(taken_at, $2)
          WHERE request_id = $3 AND (taken_by IS NULL OR taken_by = $1)`,
        [account, at, requestId],
      )) === 1,
    propose: async (requestId, account, text, at) =>
      (await db.execute(
        `UPDATE listen_requests SET proposal = $1, proposed_at = $2
          WHERE request_id = $3 AND taken_by = $4 AND proposal IS NULL`,
        [text, at, requestId, account],
      )) === 1,
    decide: async (requestId, decision, at) =>
      (await db.execute(
        `UPDATE listen_requests SET decision = $1, decided_at = $2
          WHERE request_id = $3 AND decision IS NULL AND proposal IS NOT NULL`,
        [decision, at, requestId],
      )) === 1,
    async queueFor(account, since) {
      const rows = await db.query<RequestDbRow>(
        `SELECT ${REQUEST_COLUMNS} FROM listen_requests r
          WHERE r.requester <> $1 AND r.created_at >= $2
            AND (r.taken_by IS NULL OR r.taken_by = $1)
            AND EXISTS (SELECT 1 FROM team_members a JOIN team_members b ON b.team = a.team
                         WHERE a.account = $1 AND b.account = r.requester)
          ORDER BY r.created_at, r.request_id`,
        [account, since],
      );
      return rows.map(toRequest);
    },
    async ownedBy(account, since) {
      const rows = await db.query<RequestDbRow>(
        `SELECT ${REQUEST_COLUMNS} FROM listen_requests r WHERE requester = $1 AND created_at >= $2
          ORDER BY created_at DESC, request_id`,
        [account, since],
      );
      return rows.map(toRequest);
    },
    eraseClip: (batchId, clipId) =>
      db.execute(
        `UPDATE listen_requests SET proposal = '', proposed_at = coalesce(proposed_at, 0)
          WHERE batch_id = $1 AND clip_id = $2 AND proposal IS NOT NULL AND proposal <> ''`,
        [batchId, clipId],
      ),
    async grant(g) {
      await db.execute(
        `INSERT INTO clip_grants (kind, subject, account, key_id, batch_id, clip_id, granted_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (kind, subject, account) DO UPDATE SET key_id = excluded.key_id, granted_at = excluded.granted_at,
           expires_at = excluded.expires_at`,
        [g.kind, g.subject, g.account, g.keyId, g.batchId, g.clipId, g.grantedAt, g.expiresAt],
      );
    },
    async findGrant(kind, subject, account): Promise<ClipGrant | undefined> {
      const [r] = await db.query<GrantDbRow>(
        `SELECT kind, subject, account, key_id, batch_id, clip_id, granted_at, expires_at
           FROM clip_grants WHERE kind = $1 AND subject = $2 AND account = $3`,
        [kind, subject, account],
      );
      return r
        ? {
            kind: r.kind,
            subject: r.subject,
            account: r.account,
            keyId: r.key_id,
            batchId: r.batch_id,
            clipId: r.clip_id,
            grantedAt: r.granted_at,
            expiresAt: r.expires_at,
          }
        : undefined;
    },
    // One statement for the whole list, in its order (an account named twice is counted twice).
    async counts(accounts, from, to) {
      if (accounts.length === 0) {
        return [];
      }
      return db.query<{ account: string; requested: number; answeredForThem: number; answered: number }>(
        `SELECT a.account,
                (SELECT count(*) FROM listen_requests r
                  WHERE r.requester = a.account AND r.created_at >= $2 AND r.created_at < $3)::int AS requested,
                (SELECT count(r.proposed_at) FROM listen_requests r
                  WHERE r.requester = a.account AND r.created_at >= $2 AND r.created_at < $3)::int AS "answeredForThem",
                (SELECT count(*) FROM listen_requests r
                  WHERE r.taken_by = a.account AND r.proposed_at >= $2 AND r.proposed_at < $3)::int AS answered
           FROM unnest($1::text[]) WITH ORDINALITY AS a (account, n)
          ORDER BY a.n`,
        [[...accounts], from, to],
      );
    },
  };
}
