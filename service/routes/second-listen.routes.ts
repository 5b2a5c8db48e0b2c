/**
 * The team help queue of second listens: a reviewer asks, a teammate or supervisor takes it,
 * hears the clip packed for their device, proposes text, and the requester accepts or ignores
 * it. Every step, and every refusal, is in the audit trail; no step carries transcript text
 * but the proposal, which only the taker writes and only the requester reads.
 */
import {
  hearingClipRequestSchema,
  listenDecisionSchema,
  listenProposalSchema,
  MAX_LISTEN_LIST,
  MAX_PENDING_LISTEN_REQUESTS,
  newListenRequestSchema,
  type ListenQueueResponse,
  teamSecondListensQuerySchema,
  type OwnListenRequestsResponse,
  type TeamSecondListensResponse,
} from '../../shared/sync/hearing-messages';
import { TEAM_SHIFTS_DEFAULT_WINDOW_MS, TEAM_SHIFTS_MAX_WINDOW_MS } from '../../shared/sync/team-shifts';
import { PACKAGE_MEDIA_TYPE, paths } from '../../shared/sync/protocol';
import { appendAudit, type AuditInput } from '../audit';
import { packOneClip, requireHearableClip } from '../hearing';
import { HttpError, parseJson } from '../http';
import {
  LISTEN_LIST_WINDOW_MS,
  loadRequest,
  ownItem,
  queueItem,
  requestForHelper,
  requestForRequester,
  requireLive,
  stateOf,
} from '../second-listen';
import type { Repositories } from '../store/repositories';
import { requireSessionDevice, requireStaff } from './device.routes';
import { callerOf, type Route, type RouteContext } from './route';

const requestIdOf = (ctx: RouteContext): string => ctx.params['requestId'] ?? '';

function audit(
  ctx: RouteContext,
  actor: string,
  action: string,
  subject: string | null,
  detail: AuditInput['detail'] = {},
) {
  return appendAudit(ctx.core.store, { at: ctx.core.now(), actor, source: ctx.source, action, subject, detail });
}

async function pseudonymOf(repos: Repositories, account: string | null): Promise<string | null> {
  return account === null ? null : ((await repos.accounts.find(account))?.pseudonym ?? null);
}

export const createListenRequest: Route = {
  method: 'POST',
  path: paths.listenRequests,
  auth: true,
  audit: 'listen.request',
  async handle(ctx) {
    const caller = requireStaff(ctx);
    const account = caller.account.account;
    const r = parseJson(ctx.body, newListenRequestSchema);
    const store = ctx.core.store;
    const batch = await store.batches.find(r.batchId);
    if (!batch || batch.assignedTo !== account) {
      throw new HttpError(404, 'not_found', 'No such batch for this reviewer.');
    }
    await requireHearableClip(store, ctx.core.now(), r.batchId, r.clipId);
    // In a team, in any role: sharing a team with oneself.
    if (!(await store.hearings.shareTeam(account, account))) {
      throw new HttpError(403, 'forbidden', 'You are in no team to ask.');
    }
    const now = ctx.core.now();
    const row = { ...r, requester: account, createdAt: now };
    const room = { max: MAX_PENDING_LISTEN_REQUESTS, since: now - LISTEN_LIST_WINDOW_MS, now };
    const added = await store.hearings.addRequest(row, room);
    if (added === 'full') {
      throw new HttpError(
        409,
        'conflict',
        `You have ${MAX_PENDING_LISTEN_REQUESTS} second listens waiting for an answer; ask again once one is answered.`,
      );
    }
    if (added === 'taken') {
      const held = await store.hearings.findRequest(r.requestId);
      const same =
        held?.requester === account &&
        held.batchId === r.batchId &&
        held.clipId === r.clipId &&
        held.span.start === r.span.start &&
        held.span.end === r.span.end &&
        held.window.startMs === r.window.startMs &&
        held.window.endMs === r.window.endMs;
      if (!same) {
        throw new HttpError(409, 'conflict', 'This request id was used before for another request.');
      }
      return { status: 200, json: { requestId: r.requestId } };
    }
    await audit(ctx, account, 'listen.request', r.requestId, { batchId: r.batchId, clipId: r.clipId });
    return { status: 201, json: { requestId: r.requestId } };
  },
};

export const listenQueue: Route = {
  method: 'GET',
  path: paths.listenRequests,
  auth: true,
  async handle(ctx) {
    const account = requireStaff(ctx).account.account;
    const now = ctx.core.now();
    const store = ctx.core.store;
    const response: ListenQueueResponse = { requests: [] };
    for (const row of await store.hearings.queueFor(account, now - LISTEN_LIST_WINDOW_MS, now, MAX_LISTEN_LIST)) {
      const c = await loadRequest(store, row.requestId);
      if (!c || !['open', 'taken', 'answered'].includes(stateOf(c, now))) {
        continue;
      }
      response.requests.push(queueItem(c, (await pseudonymOf(store, row.requester)) ?? '', account, now));
    }
    return { status: 200, json: response };
  },
};

export const ownListenRequests: Route = {
  method: 'GET',
  path: paths.ownListenRequests,
  auth: true,
  async handle(ctx) {
    const account = requireStaff(ctx).account.account;
    const now = ctx.core.now();
    const store = ctx.core.store;
    const response: OwnListenRequestsResponse = { requests: [] };
    for (const row of await store.hearings.ownedBy(account, now - LISTEN_LIST_WINDOW_MS, MAX_LISTEN_LIST)) {
      const c = await loadRequest(store, row.requestId);
      if (c) {
        response.requests.push(ownItem(c, await pseudonymOf(store, row.takenBy), now));
      }
    }
    return { status: 200, json: response };
  },
};

export const takeListenRequest: Route = {
  method: 'POST',
  path: paths.listenRequestTake(':requestId'),
  auth: true,
  audit: 'listen.take',
  async handle(ctx) {
    const account = requireStaff(ctx).account.account;
    const store = ctx.core.store;
    const c = await requestForHelper(store, account, requestIdOf(ctx));
    const now = ctx.core.now();
    requireLive(c, now);
    if (!(await store.hearings.take(c.row.requestId, account, now))) {
      throw new HttpError(409, 'conflict', 'A teammate took this request already.');
    }
    await audit(ctx, account, 'listen.take', c.row.requestId, { requester: c.row.requester, clipId: c.row.clipId });
    const taken = await loadRequest(store, c.row.requestId);
    const pseudonym = (await pseudonymOf(store, c.row.requester)) ?? '';
    return { status: 200, json: queueItem(taken ?? c, pseudonym, account, now) };
  },
};

/** The request's clip, packed for the taker's device; nobody but the taker gets it. */
export const listenRequestClip: Route = {
  method: 'POST',
  path: paths.listenRequestClip(':requestId'),
  auth: true,
  audit: 'listen.clip',
  async handle(ctx) {
    const caller = requireStaff(ctx);
    const account = caller.account.account;
    const { keyId } = parseJson(ctx.body, hearingClipRequestSchema);
    requireSessionDevice(caller, keyId);
    const c = await requestForHelper(ctx.core.store, account, requestIdOf(ctx));
    if (c.row.takenBy !== account) {
      throw new HttpError(403, 'forbidden', 'Take the request before hearing its clip.');
    }
    requireLive(c, ctx.core.now());
    const batch = await requireHearableClip(ctx.core.store, ctx.core.now(), c.row.batchId, c.row.clipId);
    const bytes = await packOneClip(ctx.core, {
      kind: 'second_listen',
      subject: c.row.requestId,
      account,
      keyId,
      batch,
      clipId: c.row.clipId,
      source: ctx.source,
      action: 'listen.clip',
    });
    return { status: 200, bytes, contentType: PACKAGE_MEDIA_TYPE };
  },
};

export const proposeForListenRequest: Route = {
  method: 'POST',
  path: paths.listenRequestProposal(':requestId'),
  auth: true,
  audit: 'listen.propose',
  async handle(ctx) {
    const account = requireStaff(ctx).account.account;
    const { text } = parseJson(ctx.body, listenProposalSchema);
    const store = ctx.core.store;
    const c = await requestForHelper(store, account, requestIdOf(ctx));
    if (c.row.takenBy !== account) {
      throw new HttpError(403, 'forbidden', 'Only the teammate who took the request answers it.');
    }
    const now = ctx.core.now();
    requireLive(c, now);
    if (!(await store.hearings.propose(c.row.requestId, account, text, now))) {
      if (c.row.proposal === text) {
        return { status: 200, json: { requestId: c.row.requestId } };
      }
      throw new HttpError(409, 'conflict', 'This request was answered already.');
    }
    await audit(ctx, account, 'listen.propose', c.row.requestId, { requester: c.row.requester, chars: text.length });
    return { status: 201, json: { requestId: c.row.requestId } };
  },
};

export const decideListenRequest: Route = {
  method: 'POST',
  path: paths.listenRequestDecision(':requestId'),
  auth: true,
  audit: 'listen.decide',
  async handle(ctx) {
    const account = requireStaff(ctx).account.account;
    const { decision } = parseJson(ctx.body, listenDecisionSchema);
    const store = ctx.core.store;
    const c = await requestForRequester(store, account, requestIdOf(ctx));
    const now = ctx.core.now();
    requireLive(c, now);
    if (c.row.proposal === null) {
      throw new HttpError(409, 'conflict', 'Nobody has answered this request yet.');
    }
    if (!(await store.hearings.decide(c.row.requestId, decision, now))) {
      if (c.row.decision === decision) {
        return { status: 200, json: { requestId: c.row.requestId, decision } };
      }
      throw new HttpError(409, 'conflict', `This proposal was ${c.row.decision ?? 'decided'} already.`);
    }
    await audit(ctx, account, 'listen.decide', c.row.requestId, { decision, helper: c.row.takenBy });
    return { status: 200, json: { requestId: c.row.requestId, decision } };
  },
};

/** Reads `from` and `to` (ISO times, both optional): the last seven days unless said. */
function countsWindow(ctx: RouteContext): { from: number; to: number } {
  const search = new URL(ctx.req.url ?? '/', 'http://service.invalid').searchParams;
  const parsed = teamSecondListensQuerySchema.safeParse(Object.fromEntries(search));
  if (!parsed.success || [...search.keys()].length !== new Set(search.keys()).size) {
    throw new HttpError(400, 'bad_request', 'from, to: ISO 8601 times, each at most once.');
  }
  const to = parsed.data.to ? Date.parse(parsed.data.to) : ctx.core.now();
  const from = parsed.data.from ? Date.parse(parsed.data.from) : to - TEAM_SHIFTS_DEFAULT_WINDOW_MS;
  if (from >= to || to - from > TEAM_SHIFTS_MAX_WINDOW_MS) {
    throw new HttpError(400, 'bad_request', 'from must come before to, at most 92 days before.');
  }
  return { from, to };
}

/** Per member of the supervisor's teams: second listens asked for and answers given. */
export const teamSecondListens: Route = {
  method: 'GET',
  path: paths.teamSecondListens,
  auth: true,
  audit: 'team.second_listens.list',
  async handle(ctx) {
    const caller = callerOf(ctx);
    if (caller.account.role !== 'supervisor') {
      throw new HttpError(403, 'forbidden', 'Team figures are for supervisors only.');
    }
    const { from, to } = countsWindow(ctx);
    const members = await ctx.core.store.teams.supervisedMembers(caller.account.account);
    const counts = await ctx.core.store.hearings.counts(
      members.map((m) => m.account),
      from,
      to,
    );
    const response: TeamSecondListensResponse = {
      from,
      to,
      reviewers: members.map((m, i) => ({
        pseudonym: m.pseudonym,
        requested: counts[i]?.requested ?? 0,
        answeredForThem: counts[i]?.answeredForThem ?? 0,
        answered: counts[i]?.answered ?? 0,
      })),
    };
    await audit(ctx, caller.account.account, 'team.second_listens.list', null, { reviewers: members.length });
    return { status: 200, json: response };
  },
};
