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
/** Team shift ids come from every workstation of the team, as the protocol allows them. */
const teamShiftIds = z
  .array(z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a shift id is 1–128 letters, digits, "_" or "-"'))
  .min(1, 'choose at least one shift')
  .max(100, 'choose at most 100 shifts');
const selection = z.union([
  z.strictObject({ shiftIds, source: z.literal('workstation').optional() }),
  z.strictObject({ shiftIds: teamShiftIds, source: z.literal('service') }),
]);
/** The longest window the service answers for (shared/sync/team-shifts.ts). */
const MAX_TEAM_WINDOW_MS = 92 * 24 * 3_600_000;
const epochMs = z.int().min(0).max(8.64e15);
const teamQuery = z
  .strictObject({
    from: epochMs.optional(),
    to: epochMs.optional(),
    reviewer: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a pseudonym is 1–64 letters, digits, "_" or "-"')
      .optional(),
    batch: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a batch id is 1–64 letters, digits, "_" or "-"')
      .optional(),
    limit: z.int().min(1).max(100).optional(),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,1024}$/, 'the nextCursor of an earlier page')
      .optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    message: 'from must be before to',
    path: ['from'],
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from <= MAX_TEAM_WINDOW_MS, {
    message: 'the window is at most 92 days',
    path: ['from'],
  });
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
    'reports:shift': selection,
    'reports:exportCsv': selection,
    'reports:exportPdf': noPayload,
    'reports:team': teamQuery,
  } as const;
}
