/** Timing and shift records in SQLite, deduplicated by (account, id). */
import type { Database } from 'better-sqlite3';
import type { TimingRecord } from '../../../shared/sync/messages';
import type { TimingRepository } from '../repositories';
import type { Sync } from './unit-of-work';

export function sqliteTimingRepository(db: Database): Sync<TimingRepository> {
  const insert = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO timing_records (id, account, kind, body, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, id) DO NOTHING',
  );
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM timing_records WHERE account = ?');
  const add = db.transaction((account: string, records: readonly TimingRecord[], now: number) =>
    records.map((r) => {
      insert.run(r.id, account, r.kind, JSON.stringify(r.values), now);
      return r.id;
    }),
  );
  return {
    add: (account, records, now) => add.immediate(account, records, now),
    count: (account) => count.get(account)?.n ?? 0,
  };
}
