/** Timing and shift records in SQLite, deduplicated by (account, id). */
import type { Database } from 'better-sqlite3';
import type { TimingRecord } from '../../../shared/sync/messages';
import type { TimingRepository } from '../repositories';
import { toStoredTimingRecord, type RawTimingRecord } from '../rows/timing-row';
import type { Sync } from './unit-of-work';

export function sqliteTimingRepository(db: Database): Sync<TimingRepository> {
  const insert = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO timing_records (id, account, kind, body, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, id) DO NOTHING',
  );
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM timing_records WHERE account = ?');
  // Lists of accounts and ids travel as one JSON array parameter (json_each), so the statements stay prepared.
  const shiftRecords = db.prepare<[string, number, number], RawTimingRecord>(
    `SELECT account, id, kind, body, rowid AS ord FROM timing_records
     WHERE kind = 'shift' AND account IN (SELECT value FROM json_each(?))
       AND json_extract(body, '$.startedAt') >= ? AND json_extract(body, '$.startedAt') < ?`,
  );
  const withBatch = db.prepare<[string, string], { account: string; shiftId: string }>(
    `SELECT DISTINCT account, json_extract(body, '$.shiftId') AS shiftId FROM timing_records
     WHERE kind = 'clip' AND account IN (SELECT value FROM json_each(?))
       AND json_extract(body, '$.batchId') = ? AND json_extract(body, '$.shiftId') IS NOT NULL`,
  );
  const ofShifts = db.prepare<[string, string], RawTimingRecord>(
    `SELECT account, id, kind, body, rowid AS ord FROM timing_records
     WHERE account = ? AND kind IN ('clip', 'break')
       AND json_extract(body, '$.shiftId') IN (SELECT value FROM json_each(?))`,
  );
  const clipsOfBatches = db.prepare<[string, string], RawTimingRecord>(
    `SELECT account, id, kind, body, rowid AS ord FROM timing_records
     WHERE account = ? AND kind = 'clip' AND json_extract(body, '$.batchId') IN (SELECT value FROM json_each(?))
     ORDER BY rowid`,
  );
  const add = db.transaction((account: string, records: readonly TimingRecord[], now: number) =>
    records.map((r) => {
      insert.run(r.id, account, r.kind, JSON.stringify(r.values), now);
      return r.id;
    }),
  );
  return {
    add: (account, records, now) => add.immediate(account, records, now),
    count: (account) => count.get(account)?.n ?? 0,
    shiftRecords: (accounts, from, to) =>
      shiftRecords.all(JSON.stringify(accounts), from, to).map(toStoredTimingRecord),
    shiftsWithBatch: (accounts, batchId) => withBatch.all(JSON.stringify(accounts), batchId),
    recordsOfShifts: (account, shiftIds) => ofShifts.all(account, JSON.stringify(shiftIds)).map(toStoredTimingRecord),
    clipRecordsOfBatches: (account, batchIds) =>
      clipsOfBatches.all(account, JSON.stringify(batchIds)).map(toStoredTimingRecord),
  };
}
