/** Timing records as both stores read them, and how a row becomes the repository's type. */
import type { TimingRecordKind } from '../../../shared/sync/timing-records';
import type { StoredTimingRecord } from '../repositories';

/** A stored record; `ord` is the order it was received in (SQLite's rowid, PostgreSQL's identity column). */
export type RawTimingRecord = { account: string; id: string; kind: TimingRecordKind; body: string; ord: number };

export const toStoredTimingRecord = (r: RawTimingRecord): StoredTimingRecord => ({
  account: r.account,
  id: r.id,
  kind: r.kind,
  body: r.body,
  order: r.ord,
});
