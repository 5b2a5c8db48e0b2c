/**
 * Timing records as the protocol carries them (docs/timing.md, docs/sync-protocol.md): one strict
 * schema per kind, made of numbers, known labels and pseudonymous ids only. No field anywhere
 * takes free text, so nothing a reviewer types (a note, a transcript) can ride along with timing.
 * The workstation builds its records against these schemas and the service refuses anything else.
 */
import { z } from 'zod';
import { criticalCategories, dispositions } from '../domain/annotation';
import { breakTriggers, idleReasons, shiftEndReasons, shiftStartReasons, timingEventKinds } from '../domain/timing';
import { batchIdSchema, clipIdSchema } from '../ipc/schemas';

const epochMs = z.int().min(0);
const count = z.int().min(0);
/**
 * Ids main makes for shifts and breaks: random UUIDs. Supervisors read shift ids in their
 * reports, and an id of free letters could carry words there.
 */
const rowId = z.uuid('a shift or break id is a UUID');
/** The renderer's clock epoch, as IPC takes it (shared/ipc/timing-schemas.ts). */
const epochId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'an epoch is 8–64 letters, digits or "-"');

/** A reviewer's pseudonym, as sign-in names it. */
export const timingPseudonymSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a pseudonym is 1–64 letters, digits, "_" or "-"');

/** Every label an event may carry: a disposition, a tag label or an idle reason. */
export const timingLabels = [...dispositions, ...criticalCategories, 'entity', ...idleReasons] as const;
/** One of {@link timingLabels}. */
export type TimingLabel = (typeof timingLabels)[number];

/** Whether a stored label is one the protocol knows (anything else travels as null). */
export function isTimingLabel(label: string | null): label is TimingLabel {
  return label !== null && (timingLabels as readonly string[]).includes(label);
}

/** A shift, with the last moment it saw activity (an open shift's report ends there). */
export const shiftValuesSchema = z.strictObject({
  id: rowId,
  pseudonym: timingPseudonymSchema,
  startedAt: epochMs,
  startReason: z.enum(shiftStartReasons),
  lastActivityAt: epochMs,
  endedAt: epochMs.nullable(),
  endReason: z.enum(shiftEndReasons).nullable(),
});

/** A break, or a declined suggestion (`skipped`). */
export const breakValuesSchema = z.strictObject({
  id: rowId,
  shiftId: rowId,
  trigger: z.enum(breakTriggers),
  startedAt: epochMs,
  endedAt: epochMs.nullable(),
  skipped: z.boolean(),
});

/** One recorded moment of the review screen (renderer's monotonic `t`, trusted wall time `at`). */
export const eventValuesSchema = z.strictObject({
  id: count,
  epoch: epochId,
  seq: count,
  kind: z.enum(timingEventKinds),
  t: z.number().min(0),
  at: epochMs,
  shiftId: rowId.nullable(),
  batchId: batchIdSchema.nullable(),
  clipId: clipIdSchema.nullable(),
  positionMs: z.number().nullable(),
  value: z.number().nullable(),
  label: z.enum(timingLabels).nullable(),
});

/** The figures of one submitted revision (shared/domain/timing.ts `ClipMetrics`). */
export const clipValuesSchema = z.strictObject({
  shiftId: rowId.nullable(),
  batchId: batchIdSchema,
  clipId: clipIdSchema,
  revision: z.int().min(1),
  submittedAt: epochMs,
  durationMs: count,
  handleMs: count,
  activeMs: count,
  idleMs: count,
  listenMs: count,
  realTimeFactor: z.number().min(0).nullable(),
  plays: count,
  replays: count,
  seeks: count,
  rateChanges: count,
  edits: count,
  firstEditMs: count.nullable(),
  wer: z.number().min(0).nullable(),
  wordErrors: count,
  referenceWords: count,
  disposition: z.enum(dispositions),
  critical: z.boolean(),
  escalated: z.boolean(),
  heardInFull: z.boolean(),
});

/** `<device keyId>-<row sync seq>`: a changed row is a new record. */
const recordId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a record id is 1–128 letters, digits, "_" or "-"');

/** One timing record: its kind decides the one schema its `values` must meet. */
export const timingRecordSchema = z.discriminatedUnion('kind', [
  z.strictObject({ id: recordId, kind: z.literal('shift'), values: shiftValuesSchema }),
  z.strictObject({ id: recordId, kind: z.literal('break'), values: breakValuesSchema }),
  z.strictObject({ id: recordId, kind: z.literal('event'), values: eventValuesSchema }),
  z.strictObject({ id: recordId, kind: z.literal('clip'), values: clipValuesSchema }),
]);
export type TimingRecord = z.infer<typeof timingRecordSchema>;
/** The kinds of {@link TimingRecord}. */
export type TimingRecordKind = TimingRecord['kind'];
