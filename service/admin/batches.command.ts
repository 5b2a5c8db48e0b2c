/**
 * `admin batches hand-over BATCH_ID`: moves a batch away from the device holding it, for when
 * that device cannot hand it over itself (lost, broken, off the network). Whatever the device
 * has not synced for the batch is surrendered: its later annotations are refused as
 * `handed_over`, and its workstation parks them for the reviewer to see. Audited.
 */
import { handOver } from '../hand-over';
import { HttpError } from '../http';
import { arg, UsageError, type AdminGroup } from './command';

export const batchesGroup: AdminGroup = {
  name: 'batches',
  usage: ["batches hand-over BATCH_ID   (the holding device's unsynced work on it is surrendered)"],
  async run(ctx, action, args) {
    if (action !== 'hand-over') {
      throw new UsageError(`Unknown batches action "${action ?? ''}".`);
    }
    const batchId = arg(args, 0, 'BATCH_ID');
    try {
      const ended = await handOver(ctx.core, {
        batchId,
        kind: 'forced',
        actor: ctx.actor.operator,
        source: ctx.actor.source,
      });
      ctx.out(
        `handed ${batchId} over from device ${ended.keyId} of ${ended.account}: ` +
          'its unsynced work on the batch is surrendered; another device of the account may check it out now',
      );
      return 0;
    } catch (error) {
      if (error instanceof HttpError) {
        // Refused and audited by handOver; the operator sees why.
        ctx.out(error.message);
        return 1;
      }
      throw error;
    }
  },
};
