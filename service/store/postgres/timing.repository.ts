/**
 * Timing and shift records in PostgreSQL, deduplicated by (account, id). The body is kept as the
 * JSON text received; the fields queries select by (`shiftId`, `batchId`, `startedAt`) are
 * copied into columns when a record is stored.
 */
import type { TimingRecord } from '../../../shared/sync/messages';
import type { TimingRepository, TimingRoom } from '../repositories';
import { toStoredTimingRecord, type RawTimingRecord } from '../rows/timing-row';
import { inChunks } from './chunks';
import type { PgDb } from './db';

const field = (r: TimingRecord, name: string): unknown => (r.values as Readonly<Record<string, unknown>>)[name];
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Inserts one chunk of records, in order, up to the first new one past the account's room, in one
 * statement (the room is counted in it: no round trip more); those held already are left as they
 * are and take no room (nor does a record's second place in the list). Returns how many of the
 * chunk's records are taken. Two uploads of one account at the same moment may each see the room
 * before the other's records, so the limit can be passed by what they carry.
 */
export const PG_TIMING_INSERT = `WITH room AS (
    SELECT GREATEST(0, $9::bigint - count(*)) AS n FROM timing_records WHERE account = $1 AND received_at >= $10
  ), listed AS (
    SELECT t.*, row_number() OVER (PARTITION BY t.id ORDER BY t.n) = 1
        AND NOT EXISTS (SELECT 1 FROM timing_records h WHERE h.account = $1 AND h.id = t.id) AS fresh
      FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[]) WITH ORDINALITY
        AS t (id, kind, body, shift_id, batch_id, started_at, n)
  ), counted AS (
    SELECT listed.*, count(*) FILTER (WHERE fresh) OVER (ORDER BY n) AS k FROM listed
  ), fit AS (
    SELECT coalesce(min(n) - 1, $11::bigint) AS n FROM counted WHERE fresh AND k > (SELECT n FROM room)
  ), taken AS (
    INSERT INTO timing_records (id, account, kind, body, received_at, shift_id, batch_id, started_at)
    SELECT c.id, $1, c.kind, c.body, $2, c.shift_id, c.batch_id, c.started_at
      FROM counted c
     WHERE c.n <= (SELECT n FROM fit)
     ORDER BY c.n
    ON CONFLICT (account, id) DO NOTHING
  )
  SELECT n::int AS fits FROM fit`;

async function insertChunk(
  db: PgDb,
  account: string,
  items: readonly TimingRecord[],
  now: number,
  room: TimingRoom,
): Promise<number> {
  const bodies = items.map((r) => JSON.stringify(r.values));
  const [r] = await db.query<{ fits: number }>(PG_TIMING_INSERT, [
    account,
    now,
    items.map((r) => r.id),
    items.map((r) => r.kind),
    bodies,
    items.map((r) => text(field(r, 'shiftId'))),
    items.map((r) => text(field(r, 'batchId'))),
    items.map((r) => {
      const v = field(r, 'startedAt');
      return typeof v === 'number' ? v : null;
    }),
    room.limit,
    room.since,
    items.length,
  ]);
  return r?.fits ?? 0;
}

/**
 * The reads of a team report by shift or by batch, each served by a partial index on the column it
 * selects by (migration 0006), not by walking every record of the kind the account ever sent.
 */
export const PG_TIMING_READS = {
  withBatch: `SELECT DISTINCT account, shift_id AS "shiftId" FROM timing_records
    WHERE kind = 'clip' AND account = ANY($1::text[]) AND batch_id = $2 AND shift_id IS NOT NULL
    ORDER BY account, "shiftId"`,
  ofShifts: `SELECT account, id, kind, body, ord FROM timing_records
    WHERE account = $1 AND kind IN ('clip', 'break') AND shift_id = ANY($2::text[])
    ORDER BY ord`,
  clipsOfBatches: `SELECT account, id, kind, body, ord FROM timing_records
    WHERE account = $1 AND kind = 'clip' AND batch_id = ANY($2::text[])
    ORDER BY ord`,
} as const;

export function pgTimingRepository(db: PgDb): TimingRepository {
  return {
    // One multi-row insert per chunk; a record held already (or twice in the list) keeps its first version.
    // A single chunk is one statement, atomic alone: no transaction (two round trips more) around it.
    add: async (account, records, now, room) => {
      const chunks = inChunks(records);
      const insertAll = async (on: PgDb): Promise<string[]> => {
        const taken: string[] = [];
        for (const chunk of chunks) {
          const fits = await insertChunk(on, account, chunk.items, now, room);
          taken.push(...chunk.items.slice(0, fits).map((r) => r.id));
          if (fits < chunk.items.length) {
            break;
          }
        }
        return taken;
      };
      return chunks.length > 1 ? db.atomic(insertAll) : insertAll(db);
    },
    async count(account) {
      const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM timing_records WHERE account = $1', [
        account,
      ]);
      return r?.n ?? 0;
    },
    async shiftRecords(accounts, from, to) {
      const rows = await db.query<RawTimingRecord>(
        `SELECT account, id, kind, body, ord FROM timing_records
          WHERE kind = 'shift' AND account = ANY($1::text[]) AND started_at >= $2 AND started_at < $3
          ORDER BY ord`,
        [[...accounts], from, to],
      );
      return rows.map(toStoredTimingRecord);
    },
    shiftsWithBatch: (accounts, batchId) =>
      db.query<{ account: string; shiftId: string }>(PG_TIMING_READS.withBatch, [[...accounts], batchId]),
    async recordsOfShifts(account, shiftIds) {
      const rows = await db.query<RawTimingRecord>(PG_TIMING_READS.ofShifts, [account, [...shiftIds]]);
      return rows.map(toStoredTimingRecord);
    },
    async clipRecordsOfBatches(account, batchIds) {
      const rows = await db.query<RawTimingRecord>(PG_TIMING_READS.clipsOfBatches, [account, [...batchIds]]);
      return rows.map(toStoredTimingRecord);
    },
  };
}
