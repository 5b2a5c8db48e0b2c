/**
 * The escalation inbox (docs/sync-protocol.md, "Escalation inbox"). A supervisor sees the
 * escalations of the reviewers of the teams they supervise, with the reviewer's note. An
 * escalation still open after twice the urgent time goes to every supervisor of the organisation,
 * without the note, and a supervisor who answered one keeps seeing it. Everyone else sees nothing:
 * an escalation they may not see is "not found", never "forbidden", so its existence is not told.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/sync/canonical-json';
import {
  MAX_ESCALATION_RESPONSES,
  MAX_INBOX_ESCALATIONS,
  MAX_LISTED_RESPONSES,
  nextStatus,
  type EscalationInboxResponse,
  type EscalationResponse,
  type EscalationResponseRequest,
  type EscalationResponseResult,
  type EscalationStatus,
  type InboxEscalation,
  type MyEscalationsResponse,
} from '../shared/sync/escalation-inbox';
import { appendAudit } from './audit';
import { escalationShifts } from './escalation-shift';
import { HttpError } from './http';
import type { AccountRow, EscalationResponseRow, EscalationRow, Repositories } from './store/repositories';

/** What decides whether a supervisor sees one escalation, and how. */
type Sight = { readonly ownTeam: boolean; readonly overdue: boolean; readonly answered: boolean };

function sightOf(
  row: EscalationRow,
  answers: readonly EscalationResponseRow[],
  o: {
    readonly team: ReadonlySet<string>;
    readonly caller: string;
    readonly urgentAfterMs: number;
    readonly now: number;
  },
): Sight & { readonly ageMs: number } {
  // A time the reviewer's clock put after its arrival counts from the arrival.
  const ageMs = Math.max(0, o.now - Math.min(row.createdAt, row.receivedAt));
  return {
    ageMs,
    ownTeam: o.team.has(row.account),
    overdue: row.status === 'open' && ageMs >= 2 * o.urgentAfterMs,
    answered: answers.some((a) => a.opId === row.opId && a.account === o.caller),
  };
}

const visible = (s: Sight): boolean => s.ownTeam || s.overdue || s.answered;

function responseOut(r: EscalationResponseRow): EscalationResponse {
  const body = JSON.parse(r.body) as { to?: string; reason?: string; text?: string };
  return { responseId: r.responseId, action: r.action, by: r.pseudonym, at: r.at, ...body };
}

export function requireSupervisor(account: AccountRow): void {
  if (account.role !== 'supervisor') {
    throw new HttpError(403, 'forbidden', 'The escalation inbox is for supervisors only.');
  }
}

async function teamOf(repos: Repositories, supervisor: string): Promise<Set<string>> {
  return new Set((await repos.teams.supervisedMembers(supervisor)).map((m) => m.account));
}

/**
 * At most `max` of `items` (oldest first), taken one reviewer at a time: each reviewer's oldest,
 * then each one's second oldest, and so on. Escalations are the reviewer's to send and their
 * times the reviewer's clock, so one account sending hundreds (back-dated to look oldest) would
 * otherwise fill the list and push out a colleague's real one. Returned oldest first.
 */
function fairShare<T extends { readonly row: EscalationRow }>(items: readonly T[], max: number): T[] {
  if (items.length <= max) {
    return [...items];
  }
  const byReviewer = new Map<string, T[]>();
  for (const item of items) {
    const queue = byReviewer.get(item.row.account);
    if (queue) {
      queue.push(item);
    } else {
      byReviewer.set(item.row.account, [item]);
    }
  }
  const queues = [...byReviewer.values()];
  const picked = new Set<T>();
  for (let turn = 0; picked.size < max; turn += 1) {
    for (const queue of queues.filter((q) => q.length > turn)) {
      if (picked.size < max) {
        picked.add(queue[turn] as T);
      }
    }
  }
  return items.filter((item) => picked.has(item));
}

/**
 * The `max` escalations closed last, newest first. Closed ones only grow; taken oldest first, as
 * the open ones are, the list would stop at the first 500 ever closed and never show a newer one.
 * Only supervisors close, so no reviewer can crowd a colleague's out of it.
 */
function latestClosed<T extends { readonly row: EscalationRow }>(items: readonly T[], max: number): T[] {
  const closedAt = (item: T): number => item.row.updatedAt ?? item.row.receivedAt;
  return [...items].sort((a, b) => closedAt(b) - closedAt(a)).slice(0, max);
}

/**
 * The escalations in `status` the supervisor may see: oldest first, every reviewer's in turn;
 * the closed ones newest first.
 */
export async function listInbox(
  repos: Repositories,
  supervisor: AccountRow,
  status: EscalationStatus,
  now: number,
): Promise<EscalationInboxResponse> {
  requireSupervisor(supervisor);
  const settings = await repos.escalations.settings();
  const team = await teamOf(repos, supervisor.account);
  // Closed ones only grow: the store reads the ones closed last this supervisor may see, no more.
  const rows =
    status === 'closed'
      ? await repos.escalations.closedSeenBy([...team], supervisor.account, MAX_INBOX_ESCALATIONS)
      : await repos.escalations.withStatus(status);
  const answers = await repos.escalations.responses(rows.map((r) => r.opId));
  const ctx = { team, caller: supervisor.account, urgentAfterMs: settings.urgentAfterMs, now };
  const seen = rows.map((row) => ({ row, sight: sightOf(row, answers, ctx) })).filter((x) => visible(x.sight));
  const shown =
    status === 'closed' ? latestClosed(seen, MAX_INBOX_ESCALATIONS) : fairShare(seen, MAX_INBOX_ESCALATIONS);
  const shifts = await escalationShifts(
    repos,
    shown.map(({ row }) => ({ account: row.account, at: row.createdAt })),
    now,
  );
  const escalations: InboxEscalation[] = [];
  for (const [i, { row, sight }] of shown.entries()) {
    const shift = shifts[i] ?? { shiftId: null, escalations: 1 };
    escalations.push({
      opId: row.opId,
      batchId: row.batchId,
      clipId: row.clipId,
      category: row.category,
      // The note is the reviewer's words to their own supervisors, and to nobody else.
      note: sight.ownTeam ? row.note : null,
      reviewer: row.pseudonym,
      shiftId: shift.shiftId,
      shiftEscalations: shift.escalations,
      createdAt: row.createdAt,
      ageMs: sight.ageMs,
      urgent: sight.ageMs >= settings.urgentAfterMs,
      overdue: sight.overdue,
      ownTeam: sight.ownTeam,
      status: row.status,
      responses: answers
        .filter((a) => a.opId === row.opId)
        .slice(0, MAX_LISTED_RESPONSES)
        .map(responseOut),
    });
  }
  return {
    now,
    status,
    urgentAfterMs: settings.urgentAfterMs,
    referralTargets: settings.referralTargets,
    escalations,
  };
}

/** A reviewer's own escalations: where each stands and the guidance given; who answered is left out. */
export async function listMine(repos: Repositories, account: string): Promise<MyEscalationsResponse> {
  const rows = await repos.escalations.ofAccount(account);
  const answers = await repos.escalations.responses(rows.map((r) => r.opId));
  return {
    escalations: rows.slice(-500).map((row) => ({
      opId: row.opId,
      batchId: row.batchId,
      clipId: row.clipId,
      category: row.category,
      createdAt: row.createdAt,
      status: row.status,
      updatedAt: row.updatedAt,
      guidance: answers
        .filter((a) => a.opId === row.opId && a.action === 'guidance')
        .slice(0, MAX_LISTED_RESPONSES)
        .map((a) => ({ at: a.at, text: responseOut(a).text ?? '' })),
    })),
  };
}

/** The stored form of an answer: what it says without its id, and the hash that binds it to its escalation. */
function storedBody(opId: string, req: EscalationResponseRequest): { body: string; hash: Buffer } {
  const { responseId: _id, ...said } = req;
  const body = canonicalJson(said);
  return { body, hash: createHash('sha256').update(canonicalJson({ opId, said })).digest() };
}

export type RespondInput = {
  readonly supervisor: AccountRow;
  readonly opId: string;
  readonly request: EscalationResponseRequest;
  readonly now: number;
  readonly source: string;
};

/**
 * Stores one answer, idempotently: the same response id with the same body (from the same
 * supervisor, to the same escalation) is a duplicate and gets the stored result; with anything
 * else it is a conflict. A step the escalation's status does not allow (acknowledging it twice,
 * answering a closed one) is a conflict too. Each stored answer is audited with it.
 * Run it in a unit of work. @throws HttpError 403 for a non-supervisor, 404 for an escalation they
 * may not see, 409, 400 for a referral target the operator did not set
 */
export async function respond(
  tx: Repositories,
  i: RespondInput,
): Promise<{ created: boolean; result: EscalationResponseResult }> {
  requireSupervisor(i.supervisor);
  const caller = i.supervisor.account;
  const row = await tx.escalations.find(i.opId);
  const settings = await tx.escalations.settings();
  const answers = row ? await tx.escalations.responses([row.opId]) : [];
  const ctx = { team: await teamOf(tx, caller), caller, urgentAfterMs: settings.urgentAfterMs, now: i.now };
  if (!row || !visible(sightOf(row, answers, ctx))) {
    throw new HttpError(404, 'not_found', 'No such escalation in your inbox.');
  }
  const { body, hash } = storedBody(row.opId, i.request);
  const held = await tx.escalations.findResponse(i.request.responseId);
  if (held) {
    if (held.account === caller && held.opId === row.opId && held.bodyHash.equals(hash)) {
      return {
        created: false,
        result: { responseId: held.responseId, outcome: 'duplicate', status: held.statusAfter, at: held.at },
      };
    }
    throw new HttpError(409, 'conflict', 'This response id was used before with another answer; nothing was changed.');
  }
  // Each answer is read by every supervisor who sees the escalation and by its reviewer: past the
  // limit only a close is taken, which ends the answers.
  if (i.request.action !== 'close' && answers.length >= MAX_ESCALATION_RESPONSES) {
    throw new HttpError(
      409,
      'conflict',
      `The escalation has ${MAX_ESCALATION_RESPONSES} answers already; only closing it is taken now.`,
    );
  }
  const statusAfter = nextStatus(row.status, i.request.action);
  if (statusAfter === null) {
    throw new HttpError(409, 'conflict', `The escalation is ${row.status}: it cannot be answered that way now.`);
  }
  if (i.request.action === 'refer' && !settings.referralTargets.includes(i.request.to)) {
    throw new HttpError(400, 'bad_request', 'Refer to one of the referral targets the operator set.');
  }
  await tx.escalations.addResponse({
    responseId: i.request.responseId,
    opId: row.opId,
    account: caller,
    action: i.request.action,
    body,
    bodyHash: hash,
    statusAfter,
    at: i.now,
  });
  await appendAudit(tx, {
    at: i.now,
    actor: caller,
    source: i.source,
    action: 'escalation.respond',
    subject: row.opId,
    // Ids and labels only: a close reason or guidance text never enters the audit trail.
    detail: {
      responseId: i.request.responseId,
      response: i.request.action,
      to: i.request.action === 'refer' ? i.request.to : null,
      statusAfter,
      reviewer: row.account,
    },
  });
  return {
    created: true,
    result: { responseId: i.request.responseId, outcome: 'stored', status: statusAfter, at: i.now },
  };
}
