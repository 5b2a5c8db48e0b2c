/**
 * Operator controls over HTTP, for an operator's session only (an operator signs in like anyone,
 * with password, TOTP and a device key): fault switches, revoking a batch, and listing, approving
 * and revoking devices. Every one is audited with the operator's name and address.
 */
import { adminDeviceListSchema, faultRequestSchema, type AdminDevice } from '../../shared/sync/messages';
import { paths } from '../../shared/sync/protocol';
import { appendAudit } from '../audit';
import { approveDevice, revokeDevice, type Actor } from '../devices';
import { HttpError, parseJson } from '../http';
import type { DeviceRow } from '../store/repositories';
import { callerOf, type Route, type RouteContext } from './route';

const actorOf = (ctx: RouteContext): Actor => ({ operator: callerOf(ctx).account.account, source: ctx.source });

/** A device as the admin endpoints and CLI show it: no key material. */
export const adminDeviceView = (d: DeviceRow): AdminDevice => ({
  account: d.account,
  keyId: d.keyId,
  state: d.state,
  enrolledAt: d.enrolledAt,
  decidedAt: d.decidedAt,
  decidedBy: d.decidedBy,
});

const param = (ctx: RouteContext, name: string): string => ctx.params[name] ?? '';

export const adminRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: paths.adminFaults,
    auth: true,
    operator: true,
    audit: 'admin.faults.set',
    async handle(ctx) {
      const request = parseJson(ctx.body, faultRequestSchema);
      const set = await ctx.core.faults.set(request);
      await appendAudit(ctx.core.store, {
        at: ctx.core.now(),
        actor: actorOf(ctx).operator,
        source: ctx.source,
        action: 'admin.faults.set',
        subject: request.fault,
      });
      return { status: 200, json: set };
    },
  },
  {
    method: 'POST',
    path: paths.adminRevoke(':batchId'),
    auth: true,
    operator: true,
    audit: 'admin.batches.revoke',
    async handle(ctx) {
      const batchId = param(ctx, 'batchId');
      const now = ctx.core.now();
      const revoked = await ctx.core.store.transaction(async (tx) => {
        if (!(await tx.batches.revoke(batchId, now))) {
          return false;
        }
        await appendAudit(tx, {
          at: now,
          actor: actorOf(ctx).operator,
          source: ctx.source,
          action: 'admin.batches.revoke',
          subject: batchId,
        });
        return true;
      });
      if (!revoked) {
        throw new HttpError(404, 'not_found', 'No such batch.');
      }
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: paths.adminDevices,
    auth: true,
    operator: true,
    audit: 'admin.devices.list',
    async handle(ctx) {
      const devices = await ctx.core.store.devices.list({});
      await appendAudit(ctx.core.store, {
        at: ctx.core.now(),
        actor: actorOf(ctx).operator,
        source: ctx.source,
        action: 'admin.devices.list',
        detail: { count: devices.length },
      });
      return { status: 200, json: adminDeviceListSchema.parse({ devices: devices.map(adminDeviceView) }) };
    },
  },
  {
    method: 'POST',
    path: paths.adminApproveDevice(':account', ':keyId'),
    auth: true,
    operator: true,
    audit: 'admin.devices.approve',
    async handle(ctx) {
      const device = await approveDevice(ctx.core, actorOf(ctx), param(ctx, 'account'), param(ctx, 'keyId'));
      return { status: 200, json: adminDeviceView(device) };
    },
  },
  {
    method: 'POST',
    path: paths.adminRevokeDevice(':account', ':keyId'),
    auth: true,
    operator: true,
    audit: 'admin.devices.revoke',
    async handle(ctx) {
      const { device } = await revokeDevice(ctx.core, actorOf(ctx), param(ctx, 'account'), param(ctx, 'keyId'));
      return { status: 200, json: adminDeviceView(device) };
    },
  },
];
