/** What supervisors read about their teams: `GET /v1/team/shifts`. */
import { paths } from '../../shared/sync/protocol';
import { appendAudit } from '../audit';
import { HttpError } from '../http';
import { teamShifts } from '../team-shifts';
import { callerOf, type Route } from './route';

/**
 * The shifts of the members of the caller's teams, newest first, with their figures. Only a
 * supervisor may ask (a reviewer or an operator gets 403), and sees only the teams they
 * supervise. Refusals are audited by the server; each answer is audited here with its count.
 */
export const listTeamShifts: Route = {
  method: 'GET',
  path: paths.teamShifts,
  auth: true,
  audit: 'team.shifts.list',
  async handle(ctx) {
    const caller = callerOf(ctx);
    if (caller.account.role !== 'supervisor') {
      throw new HttpError(403, 'forbidden', 'Team shifts are for supervisors only.');
    }
    const search = new URL(ctx.req.url ?? '/', 'http://service.invalid').searchParams;
    const answer = await teamShifts(ctx.core.store, caller.account.account, search, ctx.core.now());
    await appendAudit(ctx.core.store, {
      at: ctx.core.now(),
      actor: caller.account.account,
      source: ctx.source,
      action: 'team.shifts.list',
      subject: null,
      detail: { shifts: answer.shifts.length, from: answer.from, to: answer.to },
    });
    return { status: 200, json: answer };
  },
};
