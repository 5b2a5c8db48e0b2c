/**
 * What a sync sender has yet to deliver of the timing tables: unsynced rows of all four, merged
 * in the order they were written (`sync_seq`), and marking delivered ones by that number.
 */
import type { BreakInfo, ClipMetrics } from '../../../shared/domain/timing';
import type { Connection } from '../connection';
import { commitUnsynced } from '../unsynced-commit';
import type { MetricsFlagsSeal } from '../metrics-flags';
import type { TimingDetailSeal } from '../timing-details';
import {
  BREAK_COLUMNS,
  SHIFT_COLUMNS,
  toBreak,
  toShift,
  type RawBreak,
  type RawShift,
  type ShiftRow,
} from './shift.repository';
import { METRICS_READ, toMetrics, type RawMetrics } from './clip-metrics-rows';
import { detailOf, EVENT_COLUMNS, toEvent, type RawEvent, type StoredEvent } from './timing.repository';

/** One row to upload. `seq` names this version of the row; {@link createTimingOutboxRepository} marks by it. */
export type TimingUpload =
  | { readonly seq: number; readonly kind: 'shift'; readonly shift: ShiftRow }
  | { readonly seq: number; readonly kind: 'break'; readonly break: BreakInfo }
  | { readonly seq: number; readonly kind: 'event'; readonly event: StoredEvent }
  | { readonly seq: number; readonly kind: 'clip'; readonly metrics: ClipMetrics };

type WithSeq<T> = T & { sync_seq: number };

const TABLES = ['shifts', 'breaks', 'timing_events', 'clip_metrics'] as const;

export function createTimingOutboxRepository(db: Connection, seal: MetricsFlagsSeal, details: TimingDetailSeal) {
  type Query = { readonly limit: number; readonly who: string | null };
  // `who` set: that reviewer's rows alone (their shifts, and what belongs to one of them or to
  // no shift), so one reviewer's rows never go up in another's session.
  const OF_SHIFT = '(@who IS NULL OR shift_id IS NULL OR shift_id IN (SELECT id FROM shifts WHERE pseudonym = @who))';
  const shifts = db.prepare<Query, WithSeq<RawShift>>(
    `SELECT ${SHIFT_COLUMNS}, sync_seq FROM shifts WHERE synced = 0 AND (@who IS NULL OR pseudonym = @who)
     ORDER BY sync_seq LIMIT @limit`,
  );
  const breaks = db.prepare<Query, WithSeq<RawBreak>>(
    `SELECT ${BREAK_COLUMNS}, sync_seq FROM breaks WHERE synced = 0 AND ${OF_SHIFT} ORDER BY sync_seq LIMIT @limit`,
  );
  const events = db.prepare<Query, WithSeq<RawEvent>>(
    `SELECT ${EVENT_COLUMNS}, sync_seq FROM timing_events WHERE synced = 0 AND ${OF_SHIFT} ORDER BY sync_seq LIMIT @limit`,
  );
  const metrics = db.prepare<Query, WithSeq<RawMetrics>>(
    `SELECT ${METRICS_READ}, sync_seq FROM clip_metrics WHERE synced = 0 AND ${OF_SHIFT} ORDER BY sync_seq LIMIT @limit`,
  );
  // One statement per table for the whole delivery: a seq names one row of one table, and
  // `sync_seq` is unique, so the list is looked up by index rather than run row by row.
  const mark = TABLES.map((table) =>
    db.prepare<[string]>(
      `UPDATE ${table} SET synced = 1 WHERE synced = 0 AND sync_seq IN (SELECT value FROM json_each(?))`,
    ),
  );

  return {
    /**
     * Up to `limit` unsynced rows, oldest write first; with `pseudonym`, that reviewer's alone
     * (rows of no shift included).
     */
    pending(limit: number, pseudonym?: string): TimingUpload[] {
      const query: Query = { limit, who: pseudonym ?? null };
      const rawEvents = events.all(query);
      // Only rows with a sealed kind or label need the device key; the opener is made only then.
      const opener = rawEvents.some((r) => detailOf(r) !== null) ? details.opener() : null;
      const openEvent = (r: RawEvent): StoredEvent => {
        const detail = detailOf(r);
        return detail && opener ? { ...toEvent(r), ...opener.open(r, detail) } : toEvent(r);
      };
      let opened: TimingUpload[];
      try {
        opened = rawEvents.map((r): TimingUpload => ({ seq: r.sync_seq, kind: 'event', event: openEvent(r) }));
      } finally {
        opener?.done();
      }
      const all: TimingUpload[] = [
        ...shifts.all(query).map((r): TimingUpload => ({ seq: r.sync_seq, kind: 'shift', shift: toShift(r) })),
        ...breaks.all(query).map((r): TimingUpload => ({ seq: r.sync_seq, kind: 'break', break: toBreak(r) })),
        ...opened,
        ...metrics
          .all(query)
          .map((r): TimingUpload => ({ seq: r.sync_seq, kind: 'clip', metrics: toMetrics(r, seal) })),
      ];
      return all.sort((a, b) => a.seq - b.seq).slice(0, limit);
    },
    /**
     * Marks rows delivered. A seq names one version of a row: a row written again since it was
     * read has a new seq and stays pending. Returns how many rows were marked.
     */
    markSynced(seqs: readonly number[]): number {
      // Not synced by itself: a mark lost to a power cut only sends the rows again (the service
      // keeps one copy per record id).
      return commitUnsynced(db, () => {
        const list = JSON.stringify(seqs);
        return mark.reduce((marked, statement) => marked + statement.run(list).changes, 0);
      });
    },
  };
}

export type TimingOutboxRepository = ReturnType<typeof createTimingOutboxRepository>;
