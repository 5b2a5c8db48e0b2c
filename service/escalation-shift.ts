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

/** One escalation to place: whose, and when it was saved. */
export type EscalationAt = { readonly account: string; readonly at: number };

/** The windows of shift starts to read for escalations saved at `ats`, overlapping ones merged. */
function lookBacks(ats: readonly number[]): [number, number][] {
  const windows: [number, number][] = [];
  for (const at of [...ats].sort((a, b) => a - b)) {
    const last = windows.at(-1);
    if (last && at - LOOK_BACK_MS <= last[1]) {
      last[1] = at + 1;
    } else {
      windows.push([at - LOOK_BACK_MS, at + 1]);
    }
  }
  return windows;
}

/**
 * For each escalation, the latest shift of its reviewer that was running when it was saved (by
 * the lapse rule), and the count of the reviewer's escalations saved within that shift;
 * `{ shiftId: null, escalations: 1 }` when the service holds no such shift. Each reviewer's shift
 * records are read once for the whole list, and each shift's escalations counted once: timing
 * records are the reviewer's to send, and a list of their escalations must not read them again
 * for every one.
 */
export async function escalationShifts(
  repos: Repositories,
  escalations: readonly EscalationAt[],
  now: number,
): Promise<EscalationShift[]> {
  const times = new Map<string, number[]>();
  for (const e of escalations) {
    times.set(e.account, [...(times.get(e.account) ?? []), e.at]);
  }
  const shiftsOf = new Map<string, ReturnType<typeof shiftValuesSchema.parse>[]>();
  for (const [account, ats] of times) {
    const records = [];
    for (const [from, to] of lookBacks(ats)) {
      records.push(...(await repos.timing.shiftRecords([account], from, to)));
    }
    shiftsOf.set(
      account,
      latestVersions(records, shiftValuesSchema, (s) => s.id).sort((a, b) => b.startedAt - a.startedAt),
    );
  }
  const counted = new Map<string, Promise<number>>();
  const countIn = (account: string, from: number, to: number): Promise<number> => {
    const key = JSON.stringify([account, from, to]);
    let n = counted.get(key);
    if (!n) {
      n = repos.ops.escalationTimes(account, from, to).then((t) => t.length);
      counted.set(key, n);
    }
    return n;
  };
  const placed: EscalationShift[] = [];
  for (const e of escalations) {
    // Newest first: the latest shift running at the time.
    const shift = (shiftsOf.get(e.account) ?? []).find(
      (s) => s.startedAt >= e.at - LOOK_BACK_MS && s.startedAt <= e.at && e.at <= shiftEnd(s, now),
    );
    placed.push(
      shift
        ? {
            shiftId: shift.id,
            escalations: Math.max(1, await countIn(e.account, shift.startedAt, shiftEnd(shift, now))),
          }
        : { shiftId: null, escalations: 1 },
    );
  }
  return placed;
}
