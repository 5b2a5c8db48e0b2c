/**
 * What a simulated reviewer sends, made by the client's own code where it can be: annotation
 * ops by `toAnnotationOp` (critical data replaced, entities as text), timing records by
 * `toTimingRecord` from rows shaped as the workstation stores them. Each submitted clip gives
 * six review events, its metrics row and a new version of the shift row, as the app records.
 */
import { randomUUID } from 'node:crypto';
import type { Annotation } from '../../shared/domain/annotation';
import type { TimingEventKind } from '../../shared/domain/timing';
import type { AnnotationOp, AuditEventType, AuditOp, EscalationOp, TimingRecord } from '../../shared/sync/messages';
import { toAnnotationOp } from '../../shared/sync/outgoing';
import { toTimingRecord } from '../../main/services/sync/timing-records';
import { CLIP_AUDIO_MS } from './prepare';

/** A shift row as the workstation stores it, in the shape the client's record builder takes. */
type ShiftRow = Extract<Parameters<typeof toTimingRecord>[1], { kind: 'shift' }>['shift'];

/** The revision a clip holds on the service as this reviewer knows it. */
export type Held = { readonly revision: number; readonly opId: string };

/** One revision of `clipId` on top of `base` (none for a clip's first), as the app would upload it. */
export function annotationOp(batchId: string, clipId: string, base: Held | undefined, at: number): AnnotationOp {
  const transcript = base ? 'turn on the lights in the kitchen' : 'turn on the lights in room 4';
  const annotation: Annotation = {
    batchId,
    clipId,
    revision: (base?.revision ?? 0) + 1,
    opId: randomUUID(),
    disposition: 'transcribed',
    transcript,
    critical: [],
    entities: [{ start: transcript.lastIndexOf(' ') + 1, end: transcript.length, type: 'room' }],
    submittedAt: at,
  };
  return toAnnotationOp(annotation, { baseOpId: base?.opId ?? null });
}

export const escalationOp = (batchId: string, clipId: string, at: number): EscalationOp => ({
  opId: randomUUID(),
  batchId,
  clipId,
  category: 'other',
  note: 'raised by the load test',
  createdAt: at,
});

export const auditOp = (type: AuditEventType, at: number, batchId?: string): AuditOp => ({
  opId: randomUUID(),
  type,
  at,
  ...(batchId ? { batchId } : {}),
});

const EVENTS: readonly TimingEventKind[] = ['shown', 'play', 'heard', 'edit', 'disposition', 'submit'];

/** A reviewer's timing rows: each call to `clip` gives that clip's records, numbered per device. */
export function timingSource(keyId: string, pseudonym: string, startedAt: number) {
  let seq = 0;
  let eventId = 0;
  const epoch = randomUUID();
  const shift: ShiftRow = {
    id: randomUUID(),
    pseudonym,
    startedAt,
    startReason: 'sign_in',
    endedAt: null,
    endReason: null,
    lastActivityAt: startedAt,
  };
  return {
    clip(batchId: string, clipId: string, revision: number, at: number, escalated: boolean): TimingRecord[] {
      const events = EVENTS.map((kind, i) => {
        eventId += 1;
        return toTimingRecord(keyId, {
          seq: (seq += 1),
          kind: 'event',
          event: {
            id: eventId,
            epoch,
            seq: eventId,
            kind,
            t: Math.max(0, at - startedAt - (EVENTS.length - i) * 100),
            at: at - (EVENTS.length - i) * 100,
            shiftId: shift.id,
            batchId,
            clipId,
            positionMs: kind === 'play' || kind === 'heard' ? 0 : null,
            value: kind === 'edit' ? 1 : null,
            label: kind === 'disposition' || kind === 'submit' ? 'transcribed' : null,
          },
        });
      });
      const metrics = toTimingRecord(keyId, {
        seq: (seq += 1),
        kind: 'clip',
        metrics: {
          shiftId: shift.id,
          batchId,
          clipId,
          revision,
          submittedAt: at,
          durationMs: CLIP_AUDIO_MS,
          handleMs: 600,
          activeMs: 600,
          idleMs: 0,
          listenMs: CLIP_AUDIO_MS,
          realTimeFactor: 30,
          plays: 1,
          replays: 0,
          seeks: 0,
          rateChanges: 0,
          edits: 1,
          firstEditMs: 300,
          wer: 0.2,
          wordErrors: 1,
          referenceWords: 5,
          disposition: 'transcribed',
          critical: false,
          escalated,
          heardInFull: true,
        },
      });
      const shiftRecord = toTimingRecord(keyId, {
        seq: (seq += 1),
        kind: 'shift',
        shift: { ...shift, lastActivityAt: at },
      });
      return [...events, metrics, shiftRecord];
    },
  };
}
