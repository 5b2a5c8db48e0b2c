/** Timing and shift records, deduplicated by (account, id) like ops. */
import type { TimingRecord } from '../../shared/sync/messages';
import type { ServiceDb } from './schema';

export function createTimingStore(db: ServiceDb) {
  const insert = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO timing_records (id, account, kind, body, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, id) DO NOTHING',
  );
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM timing_records WHERE account = ?');
  return {
    /** Stores new records in one transaction; every id is accepted, new or already held. */
    add: (account: string, records: readonly TimingRecord[], now: number): string[] =>
      db
        .transaction(() =>
          records.map((r) => {
            insert.run(r.id, account, r.kind, JSON.stringify(r.values), now);
            return r.id;
          }),
        )
        .immediate(),
    count: (account: string): number => count.get(account)?.n ?? 0,
  };
}

export type TimingStore = ReturnType<typeof createTimingStore>;
