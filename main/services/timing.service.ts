/**
 * Timing: stores what the review screen records, derives each submit's metrics, passes the
 * operating system's lock and sleep on to the renderer, and hands unsynced rows to sync.
 *
 * Clocks: durations come from the renderer's monotonic clock, within one run of it (an epoch);
 * wall times come from main's trusted clock. An event is dated at main's time of receipt less
 * how long before sending the renderer recorded it, so a wrong or rewound system clock in the
 * renderer changes nothing.
 */
import type { Annotation } from '../../shared/domain/annotation';
import type { PowerState, TimingBatch, TimingEventKind } from '../../shared/domain/timing';
import type { TimingOutboxRepository, TimingUpload } from '../db/repositories/timing-outbox.repository';
import type { ShiftRepository } from '../db/repositories/shift.repository';
import type { TimingRepository } from '../db/repositories/timing.repository';
import type { Logger } from '../log/logger';
import { measureClip, realTimeFactor, transcriptWer } from '../../shared/timing/clip-metrics';
import type { EventHub } from './event-hub';
import { epochEnds, type ShiftService } from './shift.service';
import type { TrustedClock } from './trusted-clock';

export type TimingDeps = {
  readonly timing: TimingRepository;
  readonly outbox: TimingOutboxRepository;
  readonly shiftRows: ShiftRepository;
  readonly shifts: ShiftService;
  readonly clock: TrustedClock;
  readonly events: EventHub;
  readonly logger: Logger;
  /** The keyed reference escalations name a clip by (clip-refs.ts). */
  readonly clipRef: (batchId: string, clipId: string) => string;
  /** The clip's length and ASR hypothesis, read when a submit is measured; null (or a throw) when unreadable. */
  readonly clipFacts: (
    batchId: string,
    clipId: string,
  ) => { readonly durationMs: number; readonly asrText: string } | null;
};

/** Events that show someone working on a clip: they start a shift and keep it from lapsing. */
const WORK: ReadonlySet<TimingEventKind> = new Set([
  'shown',
  'play',
  'seek',
  'replay',
  'rate',
  'edit',
  'disposition',
  'tag',
  'submit',
  'escalate',
  'active',
]);

export function createTimingService(d: TimingDeps) {
  // A clip whose details cannot be read still gets its times; only its length and WER are missing.
  const readFacts = (batchId: string, clipId: string) => {
    try {
      return d.clipFacts(batchId, clipId);
    } catch {
      return null;
    }
  };
  return {
    /**
     * Stores a batch of events in one transaction. A batch sent again (the renderer retries
     * after a failed send) adds nothing twice. Returns how many events were new.
     */
    record(batch: TimingBatch): { accepted: number } {
      const now = d.clock.now();
      const dated = batch.events.map((event) => ({ event, at: Math.round(now - Math.max(0, batch.sentAt - event.t)) }));
      const firstWork = dated.find((e) => WORK.has(e.event.kind) && e.event.clipId !== null);
      const shiftId = firstWork ? d.shifts.ensure(firstWork.at) : (d.shifts.current()?.id ?? null);
      const lastMono = batch.events.reduce((m, e) => Math.max(m, e.t), batch.sentAt);
      const accepted = d.timing.record(
        batch.epoch,
        lastMono,
        now,
        dated.map((e) => ({ ...e, shiftId })),
      );
      if (shiftId !== null && firstWork) {
        d.shifts.touch(shiftId, now);
      }
      return { accepted };
    },

    /**
     * Measures a submit from the clip's events and stores the numbers (never the text). Runs
     * inside the submit's transaction; a failure to measure is logged and never blocks the submit.
     */
    clipSubmitted(a: Annotation): void {
      try {
        const previous = d.timing.lastMetrics(a.batchId, a.clipId);
        const span = measureClip({
          events: d.timing.clipEvents(a.batchId, a.clipId),
          afterId: previous?.throughEventId ?? 0,
          epochEnd: epochEnds(d.timing),
        });
        const facts = readFacts(a.batchId, a.clipId);
        const durationMs = facts?.durationMs ?? 0;
        const wer = facts
          ? transcriptWer(a.transcript, facts.asrText)
          : { wer: null, wordErrors: 0, referenceWords: 0 };
        d.timing.insertMetrics({
          ...span,
          ...wer,
          shiftId: d.shifts.ensure(),
          batchId: a.batchId,
          clipId: a.clipId,
          revision: a.revision,
          submittedAt: a.submittedAt,
          durationMs,
          realTimeFactor: realTimeFactor(span.activeMs, durationMs),
          disposition: a.disposition,
          critical: a.critical.length > 0,
          escalated: d.shiftRows.escalated(
            { batchId: a.batchId, clipId: a.clipId, clipRef: d.clipRef(a.batchId, a.clipId) },
            a.submittedAt,
          ),
        });
      } catch (error) {
        d.logger.error('timing: could not measure a submit', {
          error: error instanceof Error ? error.name : typeof error,
        });
      }
    },

    /** The screen locked or unlocked, the machine went to sleep or woke: the renderer stops or resumes counting. */
    powerChanged(state: PowerState): void {
      d.events.emit('power:changed', { state });
    },

    /** Up to `limit` timing, metrics, shift and break rows not yet delivered, oldest write first. */
    pendingUpload: (limit: number, pseudonym?: string): TimingUpload[] => d.outbox.pending(limit, pseudonym),
    /** Marks delivered rows by the `seq` of the version delivered; returns how many were marked. */
    markUploaded: (seqs: readonly number[]): number => d.outbox.markSynced(seqs),
  };
}

export type TimingService = ReturnType<typeof createTimingService>;
