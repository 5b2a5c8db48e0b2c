/** `admin clips withdraw`: consent withdrawn for one clip, even one already checked out. */
import { withdrawClip, WithdrawalError } from '../consent';
import { arg, UsageError, type AdminGroup } from './command';

export const clipsGroup: AdminGroup = {
  name: 'clips',
  usage: ['clips withdraw BATCH_ID CLIP_ID'],
  async run(ctx, action, args) {
    if (action !== 'withdraw') {
      throw new UsageError(`Unknown clips action "${action ?? ''}".`);
    }
    try {
      const r = await withdrawClip(ctx.core, {
        batchId: arg(args, 0, 'BATCH_ID'),
        clipId: arg(args, 1, 'CLIP_ID'),
        actor: ctx.actor.operator,
        source: ctx.actor.source,
      });
      ctx.out(
        `withdrew consent for ${r.clipId} of ${r.batchId}: audio and details erased, ` +
          `${String(r.annotationsErased)} annotations and ${String(r.escalationsErased)} escalations erased; ` +
          'workstations holding it erase it at their next sync',
      );
      return 0;
    } catch (error) {
      if (error instanceof WithdrawalError) {
        // Refused and audited by withdrawClip; the operator sees why.
        ctx.out(error.message);
        return 1;
      }
      throw error;
    }
  },
};
