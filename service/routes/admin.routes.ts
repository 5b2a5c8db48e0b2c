/**
 * Operator controls, present only when the service was started with an admin token: fault
 * switches and revoking a batch. The token travels in `X-Earmark-Admin`.
 */
import { timingSafeEqual } from 'node:crypto';
import { faultRequestSchema } from '../../shared/sync/messages';
import { paths } from '../../shared/sync/protocol';
import { HttpError, parseJson } from '../http';
import type { Route, RouteContext } from './route';

export const ADMIN_HEADER = 'x-earmark-admin';

function requireAdmin(ctx: RouteContext, adminToken: string): void {
  const given = Buffer.from(String(ctx.req.headers[ADMIN_HEADER] ?? ''), 'utf8');
  const expected = Buffer.from(adminToken, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(403, 'forbidden', 'Admin token missing or wrong.');
  }
}

export function adminRoutes(adminToken: string): Route[] {
  return [
    {
      method: 'POST',
      path: paths.adminFaults,
      auth: false,
      handle(ctx) {
        requireAdmin(ctx, adminToken);
        return { status: 200, json: ctx.core.faults.set(parseJson(ctx.body, faultRequestSchema)) };
      },
    },
    {
      method: 'POST',
      path: paths.adminRevoke(':batchId'),
      auth: false,
      async handle(ctx) {
        requireAdmin(ctx, adminToken);
        if (!(await ctx.core.store.batches.revoke(ctx.params['batchId'] ?? '', ctx.core.now()))) {
          throw new HttpError(404, 'not_found', 'No such batch.');
        }
        return { status: 204 };
      },
    },
  ];
}
