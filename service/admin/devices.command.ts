/** `admin devices list|approve|revoke`: which workstation keys may receive batches. */
import { parseArgs } from 'node:util';
import { serviceDeviceStates, type ServiceDeviceState } from '../../shared/sync/protocol';
import { appendAudit } from '../audit';
import { approveDevice, revokeDevice } from '../devices';
import { arg, UsageError, type AdminGroup } from './command';

const iso = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());

export const devicesGroup: AdminGroup = {
  name: 'devices',
  usage: [
    'devices list [--account NAME] [--state pending|approved|revoked]',
    'devices approve ACCOUNT KEY_ID',
    'devices revoke ACCOUNT KEY_ID',
  ],
  async run(ctx, action, args) {
    switch (action) {
      case 'list': {
        const { values } = parseArgs({
          args: [...args],
          strict: true,
          options: { account: { type: 'string' }, state: { type: 'string' } },
        });
        if (values.state !== undefined && !serviceDeviceStates.includes(values.state as ServiceDeviceState)) {
          throw new UsageError(`--state must be one of ${serviceDeviceStates.join(', ')}.`);
        }
        const devices = await ctx.core.store.devices.list({
          ...(values.account !== undefined ? { account: values.account } : {}),
          ...(values.state !== undefined ? { state: values.state as ServiceDeviceState } : {}),
        });
        await appendAudit(ctx.core.store, {
          at: ctx.core.now(),
          actor: ctx.actor.operator,
          source: ctx.actor.source,
          action: 'admin.devices.list',
          detail: { count: devices.length },
        });
        ctx.out('account\tkey id\tstate\tenrolled\tdecided\tby');
        for (const d of devices) {
          ctx.out([d.account, d.keyId, d.state, iso(d.enrolledAt), iso(d.decidedAt), d.decidedBy ?? '-'].join('\t'));
        }
        return 0;
      }
      case 'approve': {
        const d = await approveDevice(ctx.core, ctx.actor, arg(args, 0, 'ACCOUNT'), arg(args, 1, 'KEY_ID'));
        ctx.out(`approved ${d.keyId} for ${d.account}`);
        return 0;
      }
      case 'revoke': {
        const { device, batches } = await revokeDevice(
          ctx.core,
          ctx.actor,
          arg(args, 0, 'ACCOUNT'),
          arg(args, 1, 'KEY_ID'),
        );
        ctx.out(`revoked ${device.keyId} for ${device.account}; checkouts revoked: ${batches.join(', ') || 'none'}`);
        return 0;
      }
      default:
        throw new UsageError(`Unknown devices action "${action ?? ''}".`);
    }
  },
};
