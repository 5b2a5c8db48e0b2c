/** `admin restore-notice`: run after restoring the store from a backup, so every workstation checks again. */
import { announceRestore } from '../restore-notice';
import { UsageError, type AdminGroup } from './command';

export const restoreNoticeGroup: AdminGroup = {
  name: 'restore-notice',
  usage: ['restore-notice   (after restoring the store from a backup: workstations resend what it lacks)'],
  async run(ctx, action) {
    if (action !== undefined) {
      throw new UsageError(`restore-notice takes no action ("${action}").`);
    }
    const r = await announceRestore(ctx.core, ctx.actor);
    ctx.out(
      `service epoch changed (${r.previous} -> ${r.epoch}): every workstation checks what the service holds ` +
        'of its acknowledged work at its next sync and resends what is missing',
    );
    return 0;
  },
};
