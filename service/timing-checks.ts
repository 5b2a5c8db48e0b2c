/**
 * What a timing record must say to be taken, beyond its shape (shared/sync/timing-records.ts).
 * Times that follow each other: a shift or break does not end before it starts, a shift's last
 * activity is not before its start; a workstation never writes otherwise, so such a record is
 * refused for good (`implausible_time`) and the workstation marks it settled. And no time more
 * than a day ahead of the service's clock (`ahead_of_service`): a workstation that was never
 * online may honestly run ahead, so that refusal is for now, and the workstation sends the record
 * again later; it is taken once the service's clock has caught up. Either way a record is refused
 * alone and the rest of its request is stored. And no more than TIMING_RECORDS_PER_DAY new records
 * per account in any 24 hours (`over_daily_limit`): past it, an insider's own password cannot
 * fill the store, and an honest workstation's records wait on it and go up on a later day.
 */
import type { TimingRecord } from '../shared/sync/messages';
import { appendAudit } from './audit';
import type { Core } from './core';

/**
 * How far ahead of service time a record's times may be. A workstation uses service time once it
 * has been online; one that never was may run ahead, but not by a day.
 */
export const TIMING_MAX_AHEAD_MS = 24 * 60 * 60 * 1000;

/**
 * New records one account may store in any 24 hours, counted by when the service stored them. A
 * clip writes some ten to twenty (its events: shown, play, heard, runs of edits, disposition,
 * submit, leave; and its metrics), some 1,000 clips a full day: this is about ten such days, so a
 * workstation back from a long spell offline still sends its backlog within a day or two.
 */
export const TIMING_RECORDS_PER_DAY = 200_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type TimingRefusal = {
  readonly id: string;
  readonly code: 'implausible_time' | 'ahead_of_service' | 'over_daily_limit';
  readonly message: string;
};

const refuse = (r: TimingRecord, message: string): TimingRefusal => ({ id: r.id, code: 'implausible_time', message });
const early = (r: TimingRecord, message: string): TimingRefusal => ({ id: r.id, code: 'ahead_of_service', message });
/** Whether `a` or `b` (null: none) is later than `latest`. */
const after = (latest: number, a: number, b: number | null): boolean => a > latest || (b !== null && b > latest);

/**
 * Why `r` is refused at service time `now`, or null when it is taken. Runs once per record of an
 * upload (a thousand at a time), so it makes no closures of its own.
 */
export function timingRefusal(r: TimingRecord, now: number): TimingRefusal | null {
  const latest = now + TIMING_MAX_AHEAD_MS;
  switch (r.kind) {
    case 'shift': {
      const s = r.values;
      if (s.lastActivityAt < s.startedAt || (s.endedAt !== null && s.endedAt < s.startedAt)) {
        return refuse(r, `Shift "${s.id}" ends or was last active before it started.`);
      }
      return after(latest, s.startedAt, s.endedAt) || s.lastActivityAt > latest
        ? early(r, `Shift "${s.id}" has a time more than a day ahead of the service's clock.`)
        : null;
    }
    case 'break': {
      const b = r.values;
      if (b.endedAt !== null && b.endedAt < b.startedAt) {
        return refuse(r, `Break "${b.id}" ends before it started.`);
      }
      return after(latest, b.startedAt, b.endedAt)
        ? early(r, `Break "${b.id}" has a time more than a day ahead of the service's clock.`)
        : null;
    }
    case 'event':
      return r.values.at > latest ? early(r, 'A timing event is more than a day ahead of the service’s clock.') : null;
    case 'clip':
      return r.values.submittedAt > latest
        ? early(r, `Clip "${r.values.clipId}" was submitted more than a day ahead of the service's clock.`)
        : null;
  }
}

/** The records to store and those refused, in request order. */
function sortTiming(
  records: readonly TimingRecord[],
  now: number,
): { readonly taken: TimingRecord[]; readonly refused: TimingRefusal[] } {
  const taken: TimingRecord[] = [];
  const refused: TimingRefusal[] = [];
  for (const r of records) {
    const refusal = timingRefusal(r, now);
    if (refusal) {
      refused.push(refusal);
    } else {
      taken.push(r);
    }
  }
  return { taken, refused };
}

/** Who sent records and how, for the store and the audit trail. */
export type TimingSender = {
  readonly account: string;
  readonly keyId: string;
  readonly source: string;
  /** The audit action a refusal is recorded under (the upload it came in). */
  readonly action: string;
};

/**
 * Stores the records that can be taken and records those refused, in one audit entry (their
 * count, the first code and id). Returns the ids now held and the refusals.
 */
export async function storeTiming(
  core: Pick<Core, 'store' | 'now'>,
  by: TimingSender,
  records: readonly TimingRecord[],
): Promise<{ readonly accepted: string[]; readonly refused: TimingRefusal[] }> {
  const now = core.now();
  const { taken, refused } = sortTiming(records, now);
  const accepted =
    taken.length > 0
      ? await core.store.timing.add(by.account, taken, now, { limit: TIMING_RECORDS_PER_DAY, since: now - DAY_MS })
      : [];
  // Records past the day's room wait: the first new record that does not fit and every one after
  // it (one already held before it is taken whatever the room: it stores nothing).
  for (const r of taken.slice(accepted.length)) {
    refused.push({
      id: r.id,
      code: 'over_daily_limit',
      message: `This account stored ${TIMING_RECORDS_PER_DAY} timing records in the last 24 hours; send the rest later.`,
    });
  }
  const [first] = refused;
  if (first) {
    await appendAudit(core.store, {
      at: now,
      actor: by.account,
      source: by.source,
      action: by.action,
      outcome: 'refused',
      code: first.code,
      subject: by.keyId,
      detail: { timingRefused: refused.length, firstId: first.id },
    });
  }
  return { accepted, refused };
}
