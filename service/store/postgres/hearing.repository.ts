/** Second-listen requests and one-clip grants in PostgreSQL. */
import type { ClipGrant, HearingRepository } from '../hearing-repositories';
import {
  LISTEN_REQUEST_INSERT_COLUMNS,
  listenRequestValues,
  toClipGrant,
  toEscalationClip,
  toListenRequest,
  type RawClipGrant,
  type RawEscalationClip,
  type RawListenRequest,
} from '../rows/hearing-row';
import { lockKey } from './advisory-lock';
import type { PgDb } from './db';

const REQUEST_COLUMNS = `r.request_id, r.requester, r.batch_id, r.clip_id, r.span_start, r.span_end, r.window_start,
  r.window_end, r.created_at, r.taken_by, r.taken_at, r.proposal, r.proposed_at, r.decision, r.decided_at`;

export function pgHearingRepository(db: PgDb): HearingRepository {
  return {
    // Only ids are read from the op: its note never leaves this query.
    async escalationClip(opId) {
      const [r] = await db.query<RawEscalationClip>(
        "SELECT account, batch_id, clip_id, withdrawn FROM ops WHERE op_id = $1 AND kind = 'escalation'",
        [opId],
      );
      return r ? toEscalationClip(r) : undefined;
    },
    async shareTeam(a, b) {
      const rows = await db.query(
        `SELECT 1 FROM team_members a JOIN team_members b ON b.team = a.team
          WHERE a.account = $1 AND b.account = $2 LIMIT 1`,
        [a, b],
      );
      return rows.length > 0;
    },
    // Under the requester's lock, so requests racing from several processes count one another.
    addRequest: (r, room) =>
      db.atomic(async (t) => {
        await lockKey(t, `listen-requests:${r.requester}`);
        if ((await t.query('SELECT 1 FROM listen_requests WHERE request_id = $1', [r.requestId])).length > 0) {
          return 'taken';
        }
        const [pending] = await t.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM listen_requests r JOIN batches b ON b.batch_id = r.batch_id
            WHERE r.requester = $1 AND r.created_at >= $2 AND r.proposed_at IS NULL
              AND b.assigned_to = r.requester AND b.revoked_at IS NULL AND b.expires_at > $3`,
          [r.requester, room.since, room.now],
        );
        if ((pending?.n ?? 0) >= room.max) {
          return 'full';
        }
        const added = await t.execute(
          `INSERT INTO listen_requests (${LISTEN_REQUEST_INSERT_COLUMNS})
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (request_id) DO NOTHING`,
          listenRequestValues(r),
        );
        return added === 1 ? 'added' : 'taken';
      }),
    async findRequest(requestId) {
      const [r] = await db.query<RawListenRequest>(
        `SELECT ${REQUEST_COLUMNS} FROM listen_requests r WHERE request_id = $1`,
        [requestId],
      );
      return r ? toListenRequest(r) : undefined;
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
    async queueFor(account, since, now, max) {
      const rows = await db.query<RawListenRequest>(
        `SELECT ${REQUEST_COLUMNS} FROM listen_requests r JOIN batches x ON x.batch_id = r.batch_id
          WHERE r.requester <> $1 AND r.created_at >= $2 AND r.decision IS NULL
            AND x.assigned_to = r.requester AND x.revoked_at IS NULL AND x.expires_at > $3
            AND (r.taken_by IS NULL OR r.taken_by = $1)
            AND EXISTS (SELECT 1 FROM team_members a JOIN team_members b ON b.team = a.team
                         WHERE a.account = $1 AND b.account = r.requester)
          ORDER BY r.created_at, r.request_id LIMIT $4`,
        [account, since, now, max],
      );
      return rows.map(toListenRequest);
    },
    async ownedBy(account, since, max) {
      const rows = await db.query<RawListenRequest>(
        `SELECT ${REQUEST_COLUMNS} FROM listen_requests r WHERE requester = $1 AND created_at >= $2
          ORDER BY created_at DESC, request_id LIMIT $3`,
        [account, since, max],
      );
      return rows.map(toListenRequest);
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
      const [r] = await db.query<RawClipGrant>(
        `SELECT kind, subject, account, key_id, batch_id, clip_id, granted_at, expires_at
           FROM clip_grants WHERE kind = $1 AND subject = $2 AND account = $3`,
        [kind, subject, account],
      );
      return r ? toClipGrant(r) : undefined;
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
