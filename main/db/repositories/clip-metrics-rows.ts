/**
 * How a `clip_metrics` row is read: its columns, and its flags opened from `flags` or, on a row
 * from before they were sealed (migration 0012), read from the plain columns.
 */
import type { Disposition } from '../../../shared/domain/annotation';
import type { ClipMetrics } from '../../../shared/domain/timing';
import type { MetricsFlags, MetricsFlagsSeal, MetricsIds } from '../metrics-flags';
import { sealedFromBytes } from '../../../core/crypto/codec';
import { sealedColumns } from '../sealed-columns';

export type RawMetrics = {
  shift_id: string | null;
  batch_id: string;
  clip_id: string;
  revision: number;
  submitted_at: number;
  duration_ms: number;
  handle_ms: number;
  active_ms: number;
  idle_ms: number;
  listen_ms: number;
  real_time_factor: number | null;
  plays: number;
  replays: number;
  seeks: number;
  rate_changes: number;
  edits: number;
  first_edit_ms: number | null;
  wer: number | null;
  word_errors: number;
  reference_words: number;
  disposition: Disposition | null;
  critical: number | null;
  escalated: number | null;
  /** The sealed flags' IV, tag and ciphertext in one blob (sealed-columns.ts); null on a row from before they were sealed. */
  flags_sealed: Buffer | null;
  heard_in_full: number;
};

const FIGURES =
  'shift_id, batch_id, clip_id, revision, submitted_at, duration_ms, handle_ms, active_ms, idle_ms, listen_ms, real_time_factor, plays, replays, seeks, rate_changes, edits, first_edit_ms, wer, word_errors, reference_words, disposition, critical, escalated';

/** The columns a row is written in. */
export const METRICS_COLUMNS = `${FIGURES}, flags_iv, flags_tag, flags, heard_in_full`;

/** What a read selects for a {@link RawMetrics}: the same, with the sealed flags as one blob. */
export const METRICS_READ = `${FIGURES}, ${sealedColumns('flags_iv', 'flags_tag', 'flags')} AS flags_sealed, heard_in_full`;

export const idsOf = (r: RawMetrics): MetricsIds => ({ batchId: r.batch_id, clipId: r.clip_id, revision: r.revision });

/** The flags of a row: opened from `flags`, or read from the columns of a row from before they were sealed. */
export function flagsOf(r: RawMetrics, seal: Pick<MetricsFlagsSeal, 'open' | 'legacyAllowed'>): MetricsFlags {
  if (r.flags_sealed) {
    return seal.open(idsOf(r), sealedFromBytes(r.flags_sealed));
  }
  if (r.disposition === null) {
    // The migration's CHECK forbids this; a row edited around it is refused, not guessed at.
    throw new Error(`The metrics of revision ${r.revision} of clip "${r.clip_id}" have no flags.`);
  }
  if (!seal.legacyAllowed()) {
    throw new Error(
      `The metrics of revision ${r.revision} of clip "${r.clip_id}" carry plain flags after every row was sealed: they were altered.`,
    );
  }
  return { disposition: r.disposition, critical: r.critical === 1, escalated: r.escalated === 1 };
}

export const toMetrics = (r: RawMetrics, seal: Pick<MetricsFlagsSeal, 'open' | 'legacyAllowed'>): ClipMetrics => ({
  shiftId: r.shift_id,
  batchId: r.batch_id,
  clipId: r.clip_id,
  revision: r.revision,
  submittedAt: r.submitted_at,
  durationMs: r.duration_ms,
  handleMs: r.handle_ms,
  activeMs: r.active_ms,
  idleMs: r.idle_ms,
  listenMs: r.listen_ms,
  realTimeFactor: r.real_time_factor,
  plays: r.plays,
  replays: r.replays,
  seeks: r.seeks,
  rateChanges: r.rate_changes,
  edits: r.edits,
  firstEditMs: r.first_edit_ms,
  wer: r.wer,
  wordErrors: r.word_errors,
  referenceWords: r.reference_words,
  ...flagsOf(r, seal),
  heardInFull: r.heard_in_full === 1,
});
