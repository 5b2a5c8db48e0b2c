/**
 * Which shift of a reviewer an escalation fell in, and how many escalations that reviewer saved
 * in it: the inbox marks a reviewer who had several in one shift, for their wellbeing.
 */
import { shiftValuesSchema } from '../shared/sync/timing-records';
import { shiftEnd } from '../shared/timing/shift-summary';
import type { Repositories } from './store/repositories';
import { latestVersions } from './team-shifts';

/** A shift is looked for among those that started this long before the escalation. */
const LOOK_BACK_MS = 48 * 3_600_000;

export type EscalationShift = { readonly shiftId: string | null; readonly escalations: number };

/**
 * The latest shift of `account` that was running at `at` (by the lapse rule), and the count of
 * the account's escalations saved within it; `{ shiftId: null, escalations: 1 }` when the service
 * holds no such shift.
 */
export async function escalationShift(
  repos: Repositories,
  account: string,
  at: number,
  now: number,
): Promise<EscalationShift> {
  const records = await repos.timing.shiftRecords([account], at - LOOK_BACK_MS, at + 1);
  const shift = latestVersions(records, shiftValuesSchema, (s) => s.id)
    .filter((s) => s.startedAt <= at && at <= shiftEnd(s, now))
    .sort((a, b) => b.startedAt - a.startedAt)[0];
  if (!shift) {
    return { shiftId: null, escalations: 1 };
  }
  const times = await repos.ops.escalationTimes(account, shift.startedAt, shiftEnd(shift, now));
  return { shiftId: shift.id, escalations: Math.max(1, times.length) };
}
