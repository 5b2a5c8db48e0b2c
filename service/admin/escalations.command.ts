/** `admin escalations settings|set-urgent-after|set-referrals`: the escalation inbox's settings. */
import { appendAudit } from '../audit';
import { setInboxSetting } from '../inbox-settings';
import { arg, UsageError, type AdminGroup } from './command';

export const escalationsGroup: AdminGroup = {
  name: 'escalations',
  usage: [
    'escalations settings',
    'escalations set-urgent-after MINUTES',
    'escalations set-referrals TARGET [TARGET …]',
  ],
  async run(ctx, action, args) {
    const { core, actor } = ctx;
    switch (action) {
      case 'settings': {
        const s = await core.store.escalations.settings();
        await appendAudit(core.store, {
          at: core.now(),
          actor: actor.operator,
          source: actor.source,
          action: 'admin.escalations.settings',
        });
        ctx.out(`urgent after\t${s.urgentAfterMs / 60_000} min`);
        ctx.out(`referral targets\t${s.referralTargets.join(' | ')}`);
        return 0;
      }
      case 'set-urgent-after': {
        const minutes = arg(args, 0, 'MINUTES');
        if (!/^[1-9][0-9]{0,3}$/.test(minutes)) {
          throw new UsageError('MINUTES is a whole number of minutes, 1 to 1440.');
        }
        await setInboxSetting(core, actor, { key: 'urgentAfterMs', value: Number(minutes) * 60_000 });
        ctx.out(`escalations turn urgent after ${minutes} min`);
        return 0;
      }
      case 'set-referrals': {
        arg(args, 0, 'TARGET');
        await setInboxSetting(core, actor, { key: 'referralTargets', value: [...args] });
        ctx.out(`referral targets: ${args.join(' | ')}`);
        return 0;
      }
      default:
        throw new UsageError(`Unknown escalations action "${action ?? ''}".`);
    }
  },
};
