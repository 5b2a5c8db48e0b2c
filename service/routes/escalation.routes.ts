/** The escalation inbox: supervisors list and answer escalations; reviewers read their own. */
import { escalationInboxQuerySchema, escalationResponseRequestSchema } from '../../shared/sync/escalation-inbox';
import { paths } from '../../shared/sync/protocol';
import { appendAudit } from '../audit';
import { listInbox, listMine, respond } from '../escalation-inbox';
import { HttpError, parseJson } from '../http';
import { callerOf, type Route } from './route';

function statusQuery(url: string | undefined) {
  const search = new URL(url ?? '/', 'http://service.invalid').searchParams;
  const parsed = escalationInboxQuerySchema.safeParse(Object.fromEntries(search));
  if (!parsed.success || search.getAll('status').length > 1) {
    throw new HttpError(400, 'bad_request', 'status is one of open, acknowledged, referred, closed.');
  }
  return parsed.data.status ?? 'open';
}

/** `GET /v1/escalations?status=…`: a supervisor's inbox. Refusals are audited by the server, answers here. */
export const listEscalations: Route = {
  method: 'GET',
  path: paths.escalations,
  auth: true,
  audit: 'escalations.list',
  async handle(ctx) {
    const caller = callerOf(ctx);
    const status = statusQuery(ctx.req.url);
    const answer = await listInbox(ctx.core.store, caller.account, status, ctx.core.now());
    await appendAudit(ctx.core.store, {
      at: ctx.core.now(),
      actor: caller.account.account,
      source: ctx.source,
      action: 'escalations.list',
      detail: { status, count: answer.escalations.length },
    });
    return { status: 200, json: answer };
  },
};

/** `POST /v1/escalations/:opId/responses`: one answer, idempotent by its `responseId`. */
export const respondToEscalation: Route = {
  method: 'POST',
  path: paths.escalationResponses(':opId'),
  auth: true,
  audit: 'escalation.respond',
  async handle(ctx) {
    const caller = callerOf(ctx);
    const request = parseJson(ctx.body, escalationResponseRequestSchema);
    const opId = ctx.params['opId'] ?? '';
    const { created, result } = await ctx.core.store.transaction((tx) =>
      respond(tx, { supervisor: caller.account, opId, request, now: ctx.core.now(), source: ctx.source }),
    );
    return { status: created ? 201 : 200, json: result };
  },
};

/** `GET /v1/me/escalations`: the caller's own escalations, their status and the guidance given. */
export const myEscalations: Route = {
  method: 'GET',
  path: paths.myEscalations,
  auth: true,
  async handle(ctx) {
    return { status: 200, json: await listMine(ctx.core.store, callerOf(ctx).account.account) };
  },
};
