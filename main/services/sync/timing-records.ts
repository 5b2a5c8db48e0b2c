/**
 * Timing and shift rows as the protocol carries them: each row version becomes the one record
 * shape its kind allows (shared/sync/timing-records.ts), numbers, known labels and ids only,
 * under a stable id, so the service can deduplicate a row it already holds.
 */
import type { TimingUpload } from '../../db/repositories/timing-outbox.repository';
import type { TimingRecord } from '../../../shared/sync/messages';
import { isTimingLabel } from '../../../shared/sync/timing-records';

/**
 * What a timing source offers the sender: rows in write order, each named by its `seq`; with a
 * pseudonym, only that reviewer's.
 */
export type TimingUploadSource = {
  pendingUpload(limit: number, pseudonym?: string): readonly TimingUpload[];
  markUploaded(seqs: readonly number[]): unknown;
};

/**
 * One row version as a record. The id joins the device key id and the row's sync seq, so it is
 * unique per workstation and a changed row (a new seq) is a new record. Each field is copied by
 * name, so a column added to a table later never leaves the workstation unreviewed.
 */
export function toTimingRecord(deviceKeyId: string, upload: TimingUpload): TimingRecord {
  const id = `${deviceKeyId}-${upload.seq}`;
  switch (upload.kind) {
    case 'shift': {
      const s = upload.shift;
      return {
        id,
        kind: 'shift',
        values: {
          id: s.id,
          pseudonym: s.pseudonym,
          startedAt: s.startedAt,
          startReason: s.startReason,
          lastActivityAt: s.lastActivityAt,
          endedAt: s.endedAt,
          endReason: s.endReason,
        },
      };
    }
    case 'break': {
      const b = upload.break;
      const values = {
        id: b.id,
        shiftId: b.shiftId,
        trigger: b.trigger,
        startedAt: b.startedAt,
        endedAt: b.endedAt,
        skipped: b.skipped,
      };
      return { id, kind: 'break', values };
    }
    case 'event': {
      const e = upload.event;
      if (e.kind === 'mark') {
        // The outbox opens every sealed kind before upload; a mark here is a bug, never sent as is.
        throw new Error(`Timing event ${e.seq} of epoch "${e.epoch}" was not opened for upload.`);
      }
      const values = {
        id: e.id,
        epoch: e.epoch,
        seq: e.seq,
        kind: e.kind,
        t: e.t,
        at: e.at,
        shiftId: e.shiftId,
        batchId: e.batchId,
        clipId: e.clipId,
        positionMs: e.positionMs,
        value: e.value,
        label: isTimingLabel(e.label) ? e.label : null,
      };
      return { id, kind: 'event', values };
    }
    case 'clip': {
      const m = upload.metrics;
      const values = {
        shiftId: m.shiftId,
        batchId: m.batchId,
        clipId: m.clipId,
        revision: m.revision,
        submittedAt: m.submittedAt,
        durationMs: m.durationMs,
        handleMs: m.handleMs,
        activeMs: m.activeMs,
        idleMs: m.idleMs,
        listenMs: m.listenMs,
        realTimeFactor: m.realTimeFactor,
        plays: m.plays,
        replays: m.replays,
        seeks: m.seeks,
        rateChanges: m.rateChanges,
        edits: m.edits,
        firstEditMs: m.firstEditMs,
        wer: m.wer,
        wordErrors: m.wordErrors,
        referenceWords: m.referenceWords,
        disposition: m.disposition,
        critical: m.critical,
        escalated: m.escalated,
        heardInFull: m.heardInFull,
      };
      return { id, kind: 'clip', values };
    }
  }
}
