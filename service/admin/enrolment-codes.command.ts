/** `admin enrolment-codes issue`: a one-time code that approves the device it enrols. */
import { parseArgs } from 'node:util';
import { issueEnrolmentCode } from '../enrolment-codes';
import { arg, UsageError, type AdminGroup } from './command';

export const enrolmentCodesGroup: AdminGroup = {
  name: 'enrolment-codes',
  usage: ['enrolment-codes issue ACCOUNT [--ttl-hours 24]'],
  async run(ctx, action, args) {
    if (action !== 'issue') {
      throw new UsageError(`Unknown enrolment-codes action "${action ?? ''}".`);
    }
    const { values, positionals } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: { 'ttl-hours': { type: 'string', default: '24' } },
    });
    const hours = Number(values['ttl-hours']);
    if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) {
      throw new UsageError('--ttl-hours must be a number of hours, at most 720.');
    }
    const account = arg(positionals, 0, 'ACCOUNT');
    const { code, expiresAt } = await issueEnrolmentCode(ctx.core, ctx.actor, account, hours * 3_600_000);
    ctx.out(`enrolment code for ${account} (works once, until ${new Date(expiresAt).toISOString()}): ${code}`);
    return 0;
  },
};
