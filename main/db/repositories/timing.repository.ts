/**
 * SQL for timing events, renderer clock epochs and per-clip metrics: numbers, enum labels and ids,
 * except what reveals what a clip holds: metrics flags (../metrics-flags.ts) and an event's label
 * and revealing kind (../timing-details.ts; stored as the kind `mark`), both sealed. Rows from
 * before (migrations 0012, 0017) keep them plain until `resealLegacyMetrics` / `resealLegacyEvents`.
 */
import type { ClipMetrics, StoredEventKind, TimingEvent, TimingEventKind } from '../../../shared/domain/timing';
import type { Sealed } from '../../../core/crypto/aead';
import type { Connection } from '../connection';
import type { MetricsFlagsSeal } from '../metrics-flags';
import { needsSeal, REVEALING_KINDS, type SealedDetail, type TimingDetailSeal } from '../timing-details';
import { flagsOf, idsOf, METRICS_COLUMNS, METRICS_READ, toMetrics, type RawMetrics } from './clip-metrics-rows';
import { createSyncSeq } from './sync-seq';

/** A stored event's kind: `mark` stands for a kind sealed with its label. */
export type StoredKind = StoredEventKind;

/** An event as stored: the renderer's fields plus main's id, wall time and shift. */
export type StoredEvent = {
  readonly id: number;
  readonly epoch: string;
  readonly seq: number;
  readonly kind: StoredKind;
  /** The renderer's monotonic ms within its epoch. */
  readonly t: number;
  /** Wall time, ms since the epoch, from main's trusted clock. */
  readonly at: number;
  readonly shiftId: string | null;
  readonly batchId: string | null;
  readonly clipId: string | null;
  readonly positionMs: number | null;
  readonly value: number | null;
  /** Only on an event read for upload (its sealed detail opened) or one from before labels were sealed. */
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
  kind: StoredKind;
  t_mono: number;
  at: number;
  shift_id: string | null;
  batch_id: string | null;
  clip_id: string | null;
  position_ms: number | null;
  value: number | null;
  label: string | null;
  detail_key: Buffer | null;
  detail_iv: Buffer | null;
  detail_tag: Buffer | null;
  detail: Buffer | null;
};

export const EVENT_COLUMNS =
  'id, epoch, seq, kind, t_mono, at, shift_id, batch_id, clip_id, position_ms, value, label, detail_key, detail_iv, detail_tag, detail';

/** A row's sealed detail, when it has one. */
export const detailOf = (r: RawEvent): SealedDetail | null =>
  r.detail_key && r.detail_iv && r.detail_tag && r.detail
    ? { key: r.detail_key, sealed: { iv: r.detail_iv, tag: r.detail_tag, ciphertext: r.detail } }
    : null;

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
export function createTimingRepository(db: Connection, seal: MetricsFlagsSeal, details: TimingDetailSeal) {
  const nextSeq = createSyncSeq(db);
  const upsertEpoch = db.prepare<[string, number, number, number]>(
    `INSERT INTO timing_epochs (epoch, first_seen_at, last_mono, last_seen_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (epoch) DO UPDATE SET last_mono = max(last_mono, excluded.last_mono), last_seen_at = max(last_seen_at, excluded.last_seen_at)`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO timing_events (epoch, seq, kind, t_mono, at, shift_id, batch_id, clip_id, position_ms, value,
                                detail_key, detail_iv, detail_tag, detail, sync_seq, synced)
     VALUES (@epoch, @seq, @kind, @t, @at, @shift_id, @batch_id, @clip_id, @position_ms, @value,
             @detail_key, @detail_iv, @detail_tag, @detail, @sync_seq, 0)
     ON CONFLICT (epoch, seq) DO NOTHING`,
  );
  const legacyEvents = db.prepare<
    [],
    { id: number; epoch: string; seq: number; kind: TimingEventKind; label: string | null }
  >(
    `SELECT id, epoch, seq, kind, label FROM timing_events
     WHERE detail IS NULL AND (label IS NOT NULL OR kind IN (${[...REVEALING_KINDS].map((k) => `'${k}'`).join(', ')}))
     ORDER BY id`,
  );
  // Not a new version of the row (its sync_seq stays): nothing is uploaded again for this.
  const resealEvent = db.prepare<[string, Buffer, Buffer, Buffer, Buffer, number]>(
    `UPDATE timing_events SET kind = ?, label = NULL, detail_key = ?, detail_iv = ?, detail_tag = ?, detail = ?
     WHERE id = ?`,
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
    `SELECT ${METRICS_READ} FROM clip_metrics WHERE disposition IS NOT NULL`,
  );
  // Not a new version of the row: its sync_seq stays, so nothing is uploaded again for this.
  const resealMetrics = db.prepare<[Buffer, Buffer, Buffer, string, string, number]>(
    `UPDATE clip_metrics SET disposition = NULL, critical = NULL, escalated = NULL, flags_iv = ?, flags_tag = ?, flags = ?
     WHERE batch_id = ? AND clip_id = ? AND revision = ?`,
  );
  const metricsOfShift = db.prepare<[string], RawMetrics>(
    `SELECT ${METRICS_READ} FROM clip_metrics WHERE shift_id = ? ORDER BY submitted_at, batch_id, clip_id, revision`,
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
          const sealer = events.some(({ event: e }) => needsSeal(e.kind, e.label ?? null))
            ? details.sealer(epoch)
            : null;
          let added = 0;
          try {
            for (const { event: e, at, shiftId } of events) {
              const label = e.label ?? null;
              const sealed = sealer && needsSeal(e.kind, label) ? sealer.seal(e.seq, { kind: e.kind, label }) : null;
              const r = insertEvent.run({
                epoch,
                seq: e.seq,
                kind: REVEALING_KINDS.has(e.kind) ? 'mark' : e.kind,
                t: e.t,
                at,
                shift_id: shiftId,
                batch_id: e.batchId,
                clip_id: e.clipId,
                position_ms: e.positionMs ?? null,
                value: e.value ?? null,
                detail_key: sealed?.key ?? null,
                detail_iv: sealed?.sealed.iv ?? null,
                detail_tag: sealed?.sealed.tag ?? null,
                detail: sealed?.sealed.ciphertext ?? null,
                sync_seq: nextSeq(),
              });
              added += r.changes;
            }
          } finally {
            sealer?.done();
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
    /**
     * Seals the kind and label of every event from before they were sealed (needs only the device
     * public key), and clears the label column. Returns how many.
     */
    resealLegacyEvents(): number {
      return db
        .transaction(() => {
          const rows = legacyEvents.all();
          const byEpoch = new Map<string, typeof rows>();
          for (const r of rows) {
            byEpoch.set(r.epoch, [...(byEpoch.get(r.epoch) ?? []), r]);
          }
          for (const [epoch, ofEpoch] of byEpoch) {
            const sealer = details.sealer(epoch);
            try {
              for (const r of ofEpoch) {
                const s = sealer.seal(r.seq, { kind: r.kind, label: r.label });
                const kind = REVEALING_KINDS.has(r.kind) ? 'mark' : r.kind;
                resealEvent.run(kind, s.key, s.sealed.iv, s.sealed.tag, s.sealed.ciphertext, r.id);
              }
            } finally {
              sealer.done();
            }
          }
          return rows.length;
        })
        .immediate();
    },
  };
}

export type TimingRepository = ReturnType<typeof createTimingRepository>;
