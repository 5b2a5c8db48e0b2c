/**
 * SQL for timing events, renderer clock epochs and per-clip metrics. Everything here is numbers,
 * enum labels and ids, except a clip's metrics flags (disposition, critical, escalated), which
 * reveal what the clip holds and are sealed (../metrics-flags.ts). Rows from before that
 * (migration 0012) keep them in plain columns until {@link resealLegacyMetrics} runs.
 */
import type { ClipMetrics, TimingEvent, TimingEventKind } from '../../../shared/domain/timing';
import type { Sealed } from '../../../core/crypto/aead';
import type { Connection } from '../connection';
import type { MetricsFlagsSeal } from '../metrics-flags';
import { flagsOf, idsOf, METRICS_COLUMNS, toMetrics, type RawMetrics } from './clip-metrics-rows';
import { createSyncSeq } from './sync-seq';

/** An event as stored: the renderer's fields plus main's id, wall time and shift. */
export type StoredEvent = {
  readonly id: number;
  readonly epoch: string;
  readonly seq: number;
  readonly kind: TimingEventKind;
  /** The renderer's monotonic ms within its epoch. */
  readonly t: number;
  /** Wall time, ms since the epoch, from main's trusted clock. */
  readonly at: number;
  readonly shiftId: string | null;
  readonly batchId: string | null;
  readonly clipId: string | null;
  readonly positionMs: number | null;
  readonly value: number | null;
  readonly label: string | null;
};

/** An event to store, dated by the caller. */
export type NewEvent = { readonly event: TimingEvent; readonly at: number; readonly shiftId: string | null };

/** A metrics row and the last event it counted. */
export type NewMetrics = ClipMetrics & { readonly throughEventId: number };

export type RawEvent = {
  id: number;
  epoch: string;
  seq: number;
  kind: TimingEventKind;
  t_mono: number;
  at: number;
  shift_id: string | null;
  batch_id: string | null;
  clip_id: string | null;
  position_ms: number | null;
  value: number | null;
  label: string | null;
};

export const EVENT_COLUMNS = 'id, epoch, seq, kind, t_mono, at, shift_id, batch_id, clip_id, position_ms, value, label';

export const toEvent = (r: RawEvent): StoredEvent => ({
  id: r.id,
  epoch: r.epoch,
  seq: r.seq,
  kind: r.kind,
  t: r.t_mono,
  at: r.at,
  shiftId: r.shift_id,
  batchId: r.batch_id,
  clipId: r.clip_id,
  positionMs: r.position_ms,
  value: r.value,
  label: r.label,
});

const int = (b: boolean): number => (b ? 1 : 0);

export function createTimingRepository(db: Connection, seal: MetricsFlagsSeal) {
  const nextSeq = createSyncSeq(db);
  const upsertEpoch = db.prepare<[string, number, number, number]>(
    `INSERT INTO timing_epochs (epoch, first_seen_at, last_mono, last_seen_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (epoch) DO UPDATE SET last_mono = max(last_mono, excluded.last_mono), last_seen_at = max(last_seen_at, excluded.last_seen_at)`,
  );
  const insertEvent = db.prepare<
    [
      string,
      number,
      string,
      number,
      number,
      string | null,
      string | null,
      string | null,
      number | null,
      number | null,
      string | null,
      number,
    ]
  >(
    `INSERT INTO timing_events (epoch, seq, kind, t_mono, at, shift_id, batch_id, clip_id, position_ms, value, label, sync_seq, synced)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (epoch, seq) DO NOTHING`,
  );
  const selectEpoch = db.prepare<[string], { last_mono: number; last_seen_at: number }>(
    'SELECT last_mono, last_seen_at FROM timing_epochs WHERE epoch = ?',
  );
  const clipEvents = db.prepare<[string, string], RawEvent>(
    `SELECT ${EVENT_COLUMNS} FROM timing_events WHERE batch_id = ? AND clip_id = ? ORDER BY id`,
  );
  const shiftEvents = db.prepare<[string, number], RawEvent>(
    `SELECT ${EVENT_COLUMNS} FROM timing_events WHERE shift_id = ? AND id >= ? ORDER BY id`,
  );
  const firstAtOrAfter = db.prepare<[string, number], { id: number }>(
    'SELECT id FROM timing_events WHERE shift_id = ? AND at >= ? ORDER BY id LIMIT 1',
  );
  const lastVisitBefore = db.prepare<[string, number], RawEvent>(
    `SELECT ${EVENT_COLUMNS} FROM timing_events WHERE shift_id = ? AND id < ? AND kind IN ('shown', 'leave') ORDER BY id DESC LIMIT 1`,
  );
  const lastMetrics = db.prepare<[string, string], { revision: number; through_event_id: number }>(
    'SELECT revision, through_event_id FROM clip_metrics WHERE batch_id = ? AND clip_id = ? ORDER BY revision DESC LIMIT 1',
  );
  const insertMetrics = db.prepare(
    `INSERT INTO clip_metrics (${METRICS_COLUMNS}, through_event_id, sync_seq, synced)
     VALUES (@shift_id, @batch_id, @clip_id, @revision, @submitted_at, @duration_ms, @handle_ms, @active_ms, @idle_ms, @listen_ms,
             @real_time_factor, @plays, @replays, @seeks, @rate_changes, @edits, @first_edit_ms, @wer, @word_errors, @reference_words,
             NULL, NULL, NULL, @flags_iv, @flags_tag, @flags, @heard_in_full, @through_event_id, @sync_seq, 0)
     ON CONFLICT (batch_id, clip_id, revision) DO NOTHING`,
  );
  const legacyMetrics = db.prepare<[], RawMetrics>(
    `SELECT ${METRICS_COLUMNS} FROM clip_metrics WHERE disposition IS NOT NULL`,
  );
  // Not a new version of the row: its sync_seq stays, so nothing is uploaded again for this.
  const resealMetrics = db.prepare<[Buffer, Buffer, Buffer, string, string, number]>(
    `UPDATE clip_metrics SET disposition = NULL, critical = NULL, escalated = NULL, flags_iv = ?, flags_tag = ?, flags = ?
     WHERE batch_id = ? AND clip_id = ? AND revision = ?`,
  );
  const metricsOfShift = db.prepare<[string], RawMetrics>(
    `SELECT ${METRICS_COLUMNS} FROM clip_metrics WHERE shift_id = ? ORDER BY submitted_at, batch_id, clip_id, revision`,
  );

  return {
    /**
     * Stores a batch of events (one a renderer may send again: an (epoch, seq) already held is
     * skipped) and notes when the epoch was last heard, in one transaction. Returns how many were new.
     */
    record(epoch: string, lastMono: number, now: number, events: readonly NewEvent[]): number {
      return db
        .transaction(() => {
          upsertEpoch.run(epoch, now, lastMono, now);
          let added = 0;
          for (const { event: e, at, shiftId } of events) {
            const r = insertEvent.run(
              epoch,
              e.seq,
              e.kind,
              e.t,
              at,
              shiftId,
              e.batchId,
              e.clipId,
              e.positionMs ?? null,
              e.value ?? null,
              e.label ?? null,
              nextSeq(),
            );
            added += r.changes;
          }
          return added;
        })
        .immediate();
    },
    /** The last monotonic time an epoch was heard from, and the wall time then. */
    epoch(epoch: string): { readonly lastMono: number; readonly lastSeenAt: number } | undefined {
      const r = selectEpoch.get(epoch);
      return r ? { lastMono: r.last_mono, lastSeenAt: r.last_seen_at } : undefined;
    },
    clipEvents: (batchId: string, clipId: string): StoredEvent[] => clipEvents.all(batchId, clipId).map(toEvent),
    /**
     * A shift's events from wall time `from` on, and the last visit event (`shown` or `leave`)
     * before them, which says whether a clip was open when they begin.
     */
    shiftEventsSince(
      shiftId: string,
      from: number,
    ): { readonly before: StoredEvent | undefined; readonly events: StoredEvent[] } {
      const first = firstAtOrAfter.get(shiftId, from);
      if (!first) {
        return { before: undefined, events: [] };
      }
      const before = lastVisitBefore.get(shiftId, first.id);
      return { before: before ? toEvent(before) : undefined, events: shiftEvents.all(shiftId, first.id).map(toEvent) };
    },
    /** The latest metrics of a clip: its revision and the last event it counted. */
    lastMetrics(
      batchId: string,
      clipId: string,
    ): { readonly revision: number; readonly throughEventId: number } | undefined {
      const r = lastMetrics.get(batchId, clipId);
      return r ? { revision: r.revision, throughEventId: r.through_event_id } : undefined;
    },
    insertMetrics(m: NewMetrics): void {
      const sealed: Sealed = seal.seal(m, { disposition: m.disposition, critical: m.critical, escalated: m.escalated });
      insertMetrics.run({
        shift_id: m.shiftId,
        batch_id: m.batchId,
        clip_id: m.clipId,
        revision: m.revision,
        submitted_at: m.submittedAt,
        duration_ms: m.durationMs,
        handle_ms: m.handleMs,
        active_ms: m.activeMs,
        idle_ms: m.idleMs,
        listen_ms: m.listenMs,
        real_time_factor: m.realTimeFactor,
        plays: m.plays,
        replays: m.replays,
        seeks: m.seeks,
        rate_changes: m.rateChanges,
        edits: m.edits,
        first_edit_ms: m.firstEditMs,
        wer: m.wer,
        word_errors: m.wordErrors,
        reference_words: m.referenceWords,
        flags_iv: sealed.iv,
        flags_tag: sealed.tag,
        flags: sealed.ciphertext,
        heard_in_full: int(m.heardInFull),
        through_event_id: m.throughEventId,
        sync_seq: nextSeq(),
      });
    },
    /** A shift's clip metrics, each row's flags opened in turn. */
    metricsOfShift: (shiftId: string): ClipMetrics[] => metricsOfShift.all(shiftId).map((r) => toMetrics(r, seal)),
    /** Seals the flags of every row from before they were sealed, and clears their columns. Returns how many. */
    resealLegacyMetrics(): number {
      return db
        .transaction(() => {
          const rows = legacyMetrics.all();
          for (const r of rows) {
            const sealed = seal.seal(idsOf(r), flagsOf(r, seal));
            resealMetrics.run(sealed.iv, sealed.tag, sealed.ciphertext, r.batch_id, r.clip_id, r.revision);
          }
          return rows.length;
        })
        .immediate();
    },
  };
}

export type TimingRepository = ReturnType<typeof createTimingRepository>;
