/** `admin audit list`: reads the service's own audit trail. */
import { parseArgs } from 'node:util';
import { appendAudit } from '../audit';
import { UsageError, type AdminGroup } from './command';

export const auditGroup: AdminGroup = {
  name: 'audit',
  usage: ['audit list [--after SEQ] [--limit 100] [--action NAME]'],
  async run(ctx, action, args) {
    if (action !== 'list') {
      throw new UsageError(`Unknown audit action "${action ?? ''}".`);
    }
    const { values } = parseArgs({
      args: [...args],
      strict: true,
      options: {
        after: { type: 'string', default: '0' },
        limit: { type: 'string', default: '100' },
        action: { type: 'string' },
      },
    });
    const afterSeq = Number(values.after);
    const limit = Number(values.limit);
    if (!Number.isInteger(afterSeq) || afterSeq < 0 || !Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      throw new UsageError('--after must be a sequence number, --limit 1 to 10000.');
    }
    const rows = await ctx.core.store.audit.list({
      afterSeq,
      limit,
      ...(values.action !== undefined ? { action: values.action } : {}),
    });
    // Reading the trail is itself an admin act.
    await appendAudit(ctx.core.store, {
      at: ctx.core.now(),
      actor: ctx.actor.operator,
      source: ctx.actor.source,
      action: 'admin.audit.list',
      detail: { afterSeq, count: rows.length },
    });
    ctx.out('seq\tat\tactor\tsource\taction\toutcome\tcode\tsubject\tdetail');
    for (const r of rows) {
      ctx.out(
        [
          r.seq,
          new Date(r.at).toISOString(),
          r.actor ?? '-',
          r.source,
          r.action,
          r.outcome,
          r.code ?? '-',
          r.subject ?? '-',
          JSON.stringify(r.detail),
        ].join('\t'),
      );
    }
    return 0;
  },
};
