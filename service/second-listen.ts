/**
 * The rules of the team help queue (docs/sync-protocol.md, "Second listen"): who may see, take,
 * answer and decide a second-listen request, and where a request stands. A request lives as long
 * as its batch is the requester's and running; once the clip's consent is withdrawn nothing more
 * happens to it.
 */
import type { ListenQueueItem, ListenRequestState, OwnListenRequest } from '../shared/sync/hearing-messages';
import { HttpError } from './http';
import { batchStatusAt } from './store/batch-status';
import type { ListenRequestRow } from './store/hearing-repositories';
import type { Repositories, ServiceBatch } from './store/repositories';

/** How far back the queue and a requester's list reach. */
export const LISTEN_LIST_WINDOW_MS = 30 * 24 * 3_600_000;

export type RequestContext = {
  readonly row: ListenRequestRow;
  readonly batch: ServiceBatch;
  readonly withdrawn: boolean;
};

/**
 * Whether the request's batch is still running and still the requester's: a batch an operator
 * assigned to someone else takes its clips out of the requester's teams' reach.
 */
const running = (c: RequestContext, now: number): boolean =>
  batchStatusAt(c.batch, now) === 'active' && c.batch.assignedTo === c.row.requester;

/** Where a request stands at `now`. */
export function stateOf(c: RequestContext, now: number): ListenRequestState {
  if (c.withdrawn) {
    return 'withdrawn';
  }
  if (c.row.decision) {
    return c.row.decision;
  }
  if (!running(c, now)) {
    return 'expired';
  }
  if (c.row.proposedAt !== null) {
    return 'answered';
  }
  return c.row.takenBy === null ? 'open' : 'taken';
}

/** The request with its batch and the clip's consent, or undefined when it does not exist. */
export async function loadRequest(repos: Repositories, requestId: string): Promise<RequestContext | undefined> {
  const row = await repos.hearings.findRequest(requestId);
  const batch = row ? await repos.batches.find(row.batchId) : undefined;
  if (!row || !batch) {
    return undefined;
  }
  return { row, batch, withdrawn: await repos.batches.isWithdrawn(row.batchId, row.clipId) };
}

const NOT_FOUND = 'No such request in your teams’ queue.';

/**
 * The request as a possible helper may reach it: someone outside the requester's teams is told
 * it does not exist; the requester cannot help themselves.
 */
export async function requestForHelper(repos: Repositories, account: string, requestId: string) {
  const c = await loadRequest(repos, requestId);
  if (!c || !(await repos.hearings.shareTeam(account, c.row.requester))) {
    throw new HttpError(404, 'not_found', NOT_FOUND);
  }
  if (c.row.requester === account) {
    throw new HttpError(403, 'forbidden', 'A teammate or supervisor answers your own request.');
  }
  return c;
}

/** The request as its requester reaches it; anyone else is told it does not exist. */
export async function requestForRequester(repos: Repositories, account: string, requestId: string) {
  const c = await loadRequest(repos, requestId);
  if (!c || c.row.requester !== account) {
    throw new HttpError(404, 'not_found', 'No such request of yours.');
  }
  return c;
}

/** Refuses a step on a request whose clip was withdrawn or whose batch is over. */
export function requireLive(c: RequestContext, now: number): void {
  if (c.withdrawn) {
    throw new HttpError(410, 'clip_withdrawn', 'Consent for this clip was withdrawn; the request is closed.');
  }
  if (batchStatusAt(c.batch, now) !== 'active') {
    throw new HttpError(403, 'forbidden', 'This request expired with its batch.');
  }
  if (!running(c, now)) {
    throw new HttpError(403, 'forbidden', 'This request ended: its batch was assigned to another reviewer.');
  }
}

/** A request as the queue shows it to `account`. */
export function queueItem(c: RequestContext, pseudonym: string, account: string, now: number): ListenQueueItem {
  const mine = c.row.takenBy === account;
  return {
    requestId: c.row.requestId,
    requester: pseudonym,
    batchId: c.row.batchId,
    clipId: c.row.clipId,
    window: c.row.window,
    state: stateOf(c, now),
    takenByMe: mine,
    createdAt: c.row.createdAt,
    expiresAt: c.batch.expiresAt,
    proposal: mine && !c.withdrawn && c.row.proposal ? c.row.proposal : null,
  };
}

/** A request as its requester sees it. */
export function ownItem(c: RequestContext, helper: string | null, now: number): OwnListenRequest {
  const erased = c.withdrawn || !c.row.proposal;
  return {
    requestId: c.row.requestId,
    batchId: c.row.batchId,
    clipId: c.row.clipId,
    span: c.row.span,
    window: c.row.window,
    state: stateOf(c, now),
    createdAt: c.row.createdAt,
    expiresAt: c.batch.expiresAt,
    helper: erased ? null : helper,
    proposal: erased ? null : c.row.proposal,
  };
}
