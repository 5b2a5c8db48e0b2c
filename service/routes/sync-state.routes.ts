/**
 * What the service holds of the caller's own ops, so a workstation notices a service that lost
 * some: the figures are for the session's account and the device key the session signed in
 * with, and nothing else, so a signed-in insider learns only about their own uploads.
 */
import type { DeviceOpsResponse } from '../../shared/sync/messages';
import { paths } from '../../shared/sync/protocol';
import { callerOf, type Route, type RouteContext } from './route';

/** The figures of the session's account and device key, as this path and the batch list answer them. */
export async function sessionDeviceOps(ctx: RouteContext): Promise<DeviceOpsResponse> {
  const caller = callerOf(ctx);
  const keyId = caller.session.keyId;
  // One read of both, so the epoch and the figures describe the same moment.
  const { epoch, highSeq, count } = await ctx.core.store.syncState.deviceState(caller.account.account, keyId);
  return { keyId, epoch, highSeq, count };
}

export const currentDeviceOps: Route = {
  method: 'GET',
  path: paths.currentDeviceOps,
  auth: true,
  async handle(ctx) {
    return { status: 200, json: await sessionDeviceOps(ctx) };
  },
};
