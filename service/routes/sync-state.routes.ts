/**
 * What the service holds of the caller's own ops, so a workstation notices a service that lost
 * some: the figures are for the session's account and the device key the session signed in
 * with, and nothing else, so a signed-in insider learns only about their own uploads.
 */
import type { DeviceOpsResponse } from '../../shared/sync/messages';
import { paths } from '../../shared/sync/protocol';
import { callerOf, type Route } from './route';

export const currentDeviceOps: Route = {
  method: 'GET',
  path: paths.currentDeviceOps,
  auth: true,
  async handle(ctx) {
    const caller = callerOf(ctx);
    const keyId = caller.session.keyId;
    // One read of both, so the epoch and the figures describe the same moment.
    const { epoch, highSeq, count } = await ctx.core.store.syncState.deviceState(caller.account.account, keyId);
    const response: DeviceOpsResponse = { keyId, epoch, highSeq, count };
    return { status: 200, json: response };
  },
};
