/** Second-listen requests and one-clip grants in SQLite. */
import type { Database } from 'better-sqlite3';
import type { HearingKind } from '../../../shared/sync/hearing-messages';
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
import type { Sync } from './unit-of-work';

export function sqliteHearingRepository(db: Database): Sync<HearingRepository> {
  // Only ids are read from the op: its note never leaves this query.
  const escalation = db.prepare<[string], RawEscalationClip>(
    `SELECT account, json_extract(payload, '$.batchId') AS batch_id, json_extract(payload, '$.clipId') AS clip_id,
            json_extract(payload, '$.withdrawn') AS withdrawn
       FROM ops WHERE op_id = ? AND kind = 'escalation'`,
  );
  const shareTeam = db.prepare<[string, string], { n: number }>(
    `SELECT 1 AS n FROM team_members a JOIN team_members b ON b.team = a.team
      WHERE a.account = ? AND b.account = ? LIMIT 1`,
  );
  const insert = db.prepare<[string, string, string, string, number, number, number, number, number]>(
    `INSERT INTO listen_requests (${LISTEN_REQUEST_INSERT_COLUMNS})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING`,
  );
  const find = db.prepare<[string], RawListenRequest>('SELECT * FROM listen_requests WHERE request_id = ?');
  const pending = db.prepare<[string, number, number], { n: number }>(
    `SELECT count(*) AS n FROM listen_requests r JOIN batches b ON b.batch_id = r.batch_id
      WHERE r.requester = ? AND r.created_at >= ? AND r.proposed_at IS NULL
        AND b.assigned_to = r.requester AND b.revoked_at IS NULL AND b.expires_at > ?`,
  );
  const take = db.prepare<[string, number, string, string]>(
    `UPDATE listen_requests SET taken_by = coalesce(taken_by, ?), taken_at = coalesce(taken_at, ?)
      WHERE request_id = ? AND (taken_by IS NULL OR taken_by = ?)`,
  );
  const propose = db.prepare<[string, number, string, string]>(
    `UPDATE listen_requests SET proposal = ?, proposed_at = ?
      WHERE request_id = ? AND taken_by = ? AND proposal IS NULL`,
  );
  const decide = db.prepare<[string, number, string]>(
    `UPDATE listen_requests SET decision = ?, decided_at = ?
      WHERE request_id = ? AND decision IS NULL AND proposal IS NOT NULL`,
  );
  const queue = db.prepare<{ account: string; since: number; now: number; max: number }, RawListenRequest>(
    `SELECT r.* FROM listen_requests r JOIN batches x ON x.batch_id = r.batch_id
      WHERE r.requester <> @account AND r.created_at >= @since AND r.decision IS NULL
        AND x.assigned_to = r.requester AND x.revoked_at IS NULL AND x.expires_at > @now
        AND (r.taken_by IS NULL OR r.taken_by = @account)
        AND EXISTS (SELECT 1 FROM team_members a JOIN team_members b ON b.team = a.team
                     WHERE a.account = @account AND b.account = r.requester)
      ORDER BY r.created_at, r.request_id LIMIT @max`,
  );
  const owned = db.prepare<[string, number, number], RawListenRequest>(
    `SELECT * FROM listen_requests WHERE requester = ? AND created_at >= ?
      ORDER BY created_at DESC, request_id LIMIT ?`,
  );
  const erase = db.prepare<[string, string]>(
    `UPDATE listen_requests SET proposal = '', proposed_at = coalesce(proposed_at, 0)
      WHERE batch_id = ? AND clip_id = ? AND proposal IS NOT NULL AND proposal <> ''`,
  );
  const grant = db.prepare<RawClipGrant>(
    `INSERT INTO clip_grants (kind, subject, account, key_id, batch_id, clip_id, granted_at, expires_at)
     VALUES (@kind, @subject, @account, @key_id, @batch_id, @clip_id, @granted_at, @expires_at)
     ON CONFLICT (kind, subject, account) DO UPDATE SET key_id = excluded.key_id, granted_at = excluded.granted_at,
       expires_at = excluded.expires_at`,
  );
  const findGrant = db.prepare<[HearingKind, string, string], RawClipGrant>(
    'SELECT * FROM clip_grants WHERE kind = ? AND subject = ? AND account = ?',
  );
  const requested = db.prepare<[string, number, number], { requested: number; answered: number }>(
    `SELECT count(*) AS requested, count(proposed_at) AS answered FROM listen_requests
      WHERE requester = ? AND created_at >= ? AND created_at < ?`,
  );
  const answered = db.prepare<[string, number, number], { n: number }>(
    'SELECT count(*) AS n FROM listen_requests WHERE taken_by = ? AND proposed_at >= ? AND proposed_at < ?',
  );
  return {
    escalationClip: (opId) => {
      const r = escalation.get(opId);
      return r ? toEscalationClip(r) : undefined;
    },
    shareTeam: (a, b) => shareTeam.get(a, b) !== undefined,
    // One writer: the count and the insert run with nothing in between.
    addRequest: (r, room) => {
      if (find.get(r.requestId)) {
        return 'taken';
      }
      if ((pending.get(r.requester, room.since, room.now)?.n ?? 0) >= room.max) {
        return 'full';
      }
      return insert.run(...listenRequestValues(r)).changes === 1 ? 'added' : 'taken';
    },
    findRequest: (requestId) => {
      const r = find.get(requestId);
      return r ? toListenRequest(r) : undefined;
    },
    take: (requestId, account, at) => take.run(account, at, requestId, account).changes === 1,
    propose: (requestId, account, text, at) => propose.run(text, at, requestId, account).changes === 1,
    decide: (requestId, decision, at) => decide.run(decision, at, requestId).changes === 1,
    queueFor: (account, since, now, max) => queue.all({ account, since, now, max }).map(toListenRequest),
    ownedBy: (account, since, max) => owned.all(account, since, max).map(toListenRequest),
    eraseClip: (batchId, clipId) => erase.run(batchId, clipId).changes,
    grant: (g) => {
      grant.run({
        kind: g.kind,
        subject: g.subject,
        account: g.account,
        key_id: g.keyId,
        batch_id: g.batchId,
        clip_id: g.clipId,
        granted_at: g.grantedAt,
        expires_at: g.expiresAt,
      });
    },
    findGrant: (kind, subject, account): ClipGrant | undefined => {
      const r = findGrant.get(kind, subject, account);
      return r ? toClipGrant(r) : undefined;
    },
    counts: (accounts, from, to) =>
      accounts.map((account) => {
        const mine = requested.get(account, from, to);
        return {
          account,
          requested: mine?.requested ?? 0,
          answeredForThem: mine?.answered ?? 0,
          answered: answered.get(account, from, to)?.n ?? 0,
        };
      }),
  };
}
