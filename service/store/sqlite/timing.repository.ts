/** Timing and shift records in SQLite, deduplicated by (account, id). */
import type { Database } from 'better-sqlite3';
import type { TimingRecord } from '../../../shared/sync/messages';
import type { TimingRepository, TimingRoom } from '../repositories';
import { toStoredTimingRecord, type RawTimingRecord } from '../rows/timing-row';
import type { Sync } from './unit-of-work';

/**
 * The reads of a team report by shift or by batch. Each names its index (migration 0013): without
 * statistics the planner would take the account-and-kind index, which walks every record of that
 * kind the account ever sent.
 */
export const TIMING_READS = {
  withBatch: `SELECT DISTINCT account, json_extract(body, '$.shiftId') AS shiftId
    FROM timing_records INDEXED BY timing_records_clip_batch
    WHERE kind = 'clip' AND account IN (SELECT value FROM json_each(?))
      AND json_extract(body, '$.batchId') = ? AND json_extract(body, '$.shiftId') IS NOT NULL`,
  ofShifts: `SELECT account, id, kind, body, rowid AS ord FROM timing_records INDEXED BY timing_records_member_shift
    WHERE account = ? AND kind IN ('clip', 'break')
      AND json_extract(body, '$.shiftId') IN (SELECT value FROM json_each(?))`,
  clipsOfBatches: `SELECT account, id, kind, body, rowid AS ord FROM timing_records INDEXED BY timing_records_clip_batch
    WHERE account = ? AND kind = 'clip' AND json_extract(body, '$.batchId') IN (SELECT value FROM json_each(?))
    ORDER BY rowid`,
} as const;

export function sqliteTimingRepository(db: Database): Sync<TimingRepository> {
  const insert = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO timing_records (id, account, kind, body, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, id) DO NOTHING',
  );
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM timing_records WHERE account = ?');
  const since = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM timing_records INDEXED BY timing_records_received WHERE account = ? AND received_at >= ?',
  );
  // Lists of accounts and ids travel as one JSON array parameter (json_each), so the statements stay prepared.
  const shiftRecords = db.prepare<[string, number, number], RawTimingRecord>(
    `SELECT account, id, kind, body, rowid AS ord FROM timing_records
     WHERE kind = 'shift' AND account IN (SELECT value FROM json_each(?))
       AND json_extract(body, '$.startedAt') >= ? AND json_extract(body, '$.startedAt') < ?`,
  );
  const withBatch = db.prepare<[string, string], { account: string; shiftId: string }>(TIMING_READS.withBatch);
  const ofShifts = db.prepare<[string, string], RawTimingRecord>(TIMING_READS.ofShifts);
  const clipsOfBatches = db.prepare<[string, string], RawTimingRecord>(TIMING_READS.clipsOfBatches);
  const held = db.prepare<[string, string], { one: number }>(
    'SELECT 1 AS one FROM timing_records WHERE account = ? AND id = ?',
  );
  // Counted inside the insert's own immediate transaction: two uploads at once cannot both fit.
  // Only a record stored now takes room; one held already is taken whatever the room.
  const add = db.transaction((account: string, records: readonly TimingRecord[], now: number, room: TimingRoom) => {
    let left = Math.max(0, room.limit - (since.get(account, room.since)?.n ?? 0));
    const taken: string[] = [];
    for (const r of records) {
      if (left > 0) {
        left -= insert.run(r.id, account, r.kind, JSON.stringify(r.values), now).changes;
      } else if (!held.get(account, r.id)) {
        break;
      }
      taken.push(r.id);
    }
    return taken;
  });
  return {
    add: (account, records, now, room) => add.immediate(account, records, now, room),
    count: (account) => count.get(account)?.n ?? 0,
    shiftRecords: (accounts, from, to) =>
      shiftRecords.all(JSON.stringify(accounts), from, to).map(toStoredTimingRecord),
    shiftsWithBatch: (accounts, batchId) => withBatch.all(JSON.stringify(accounts), batchId),
    recordsOfShifts: (account, shiftIds) => ofShifts.all(account, JSON.stringify(shiftIds)).map(toStoredTimingRecord),
    clipRecordsOfBatches: (account, batchIds) =>
      clipsOfBatches.all(account, JSON.stringify(batchIds)).map(toStoredTimingRecord),
  };
}
