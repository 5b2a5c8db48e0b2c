/**
 * Payload schemas of the timing, shift, break, metrics and report channels. Events carry numbers,
 * ids and enum labels only: a label is checked against the values its kind allows, so no free
 * text can reach the timing tables.
 */
import { z } from 'zod';
import { criticalCategories, dispositions } from '../domain/annotation';
import { breakTriggers, idleReasons, timingEventKinds, type TimingEventKind } from '../domain/timing';

/** Most events one batch may carry (a second of work holds a handful). */
export const MAX_TIMING_EVENTS = 500;
/** A renderer's monotonic clock stays below this (about 115 days of one page). */
const MAX_MONO_MS = 1e10;

const labelsByKind: Partial<Record<TimingEventKind, readonly string[]>> = {
  disposition: dispositions,
  tag: [...criticalCategories, 'entity'],
  idle: idleReasons,
};
const allLabels = [...dispositions, ...criticalCategories, 'entity', ...idleReasons] as const;

const shiftId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a shift id is 1–64 letters, digits or "-"');
const shiftIds = z.array(shiftId).min(1, 'choose at least one shift').max(100, 'choose at most 100 shifts');
const noPayload = z.undefined({ error: 'this call takes no payload' });

/** The timing channels' schemas; `ids` are the batch and clip id schemas of the contract. */
export function timingRequestSchemas(ids: { readonly batchId: z.ZodString; readonly clipId: z.ZodString }) {
  const event = z
    .strictObject({
      seq: z
        .int()
        .min(0)
        .max(2 ** 31),
      t: z.number().min(0).max(MAX_MONO_MS),
      kind: z.enum(timingEventKinds),
      batchId: ids.batchId.nullable(),
      clipId: ids.clipId.nullable(),
      positionMs: z.number().min(0).max(3_600_000).optional(),
      value: z.number().min(-1e6).max(1e6).optional(),
      label: z.enum(allLabels).optional(),
    })
    .superRefine((e, ctx) => {
      const allowed = labelsByKind[e.kind];
      if (e.label !== undefined && !allowed?.includes(e.label)) {
        ctx.addIssue({
          code: 'custom',
          path: ['label'],
          message: `a "${e.kind}" event takes ${allowed ? 'another label' : 'no label'}`,
        });
      }
      if ((e.batchId === null) !== (e.clipId === null)) {
        ctx.addIssue({
          code: 'custom',
          path: ['clipId'],
          message: 'an event names both a batch and a clip, or neither',
        });
      }
    });
  return {
    'timing:record': z.strictObject({
      epoch: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'an epoch is 8–64 letters, digits or "-"'),
      sentAt: z.number().min(0).max(MAX_MONO_MS),
      events: z.array(event).max(MAX_TIMING_EVENTS),
    }),
    'shifts:current': noPayload,
    'shifts:end': noPayload,
    'breaks:start': z.strictObject({ trigger: z.enum(breakTriggers) }),
    'breaks:end': noPayload,
    'breaks:skip': z.strictObject({ trigger: z.enum(['escalations', 'continuous_work']) }),
    'metrics:panel': noPayload,
    'reports:shifts': noPayload,
    'reports:shift': z.strictObject({ shiftIds }),
    'reports:exportCsv': z.strictObject({ shiftIds }),
    'reports:exportPdf': noPayload,
  } as const;
}
