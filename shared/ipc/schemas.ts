/**
 * Runtime schemas for every invoke payload. Main parses each payload with its schema before a
 * handler runs; the `satisfies` clause keeps this table and the contract in step.
 */
import { z } from 'zod';
import { criticalCategories, dispositions, escalationCategories } from '../domain/annotation';
import type { InvokeChannel, RequestOf } from './contract';

/** Batch ids are opaque service tokens: short, ASCII, no path characters. */
export const batchIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a batch id is 1–64 letters, digits, "_" or "-"');

/** Clip ids, likewise opaque. */
export const clipIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a clip id is 1–64 letters, digits, "_" or "-"');

export const MAX_TRANSCRIPT_CHARS = 10_000;
export const MAX_SPANS = 200;
export const MAX_NOTE_CHARS = 4_000;

const clipRef = { batchId: batchIdSchema, clipId: clipIdSchema };
const offset = z.int().min(0).max(MAX_TRANSCRIPT_CHARS);

/** A transcript with its spans; every span lies inside the transcript and is not empty. */
export const annotationBodySchema = z
  .strictObject({
    transcript: z.string().max(MAX_TRANSCRIPT_CHARS),
    critical: z.array(z.strictObject({ start: offset, end: offset, category: z.enum(criticalCategories) })).max(MAX_SPANS),
    entities: z
      .array(
        z.strictObject({
          start: offset,
          end: offset,
          type: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'an entity type is a short lower-case word'),
          kbId: z.string().min(1).max(128).optional(),
        }),
      )
      .max(MAX_SPANS),
  })
  .superRefine((body, ctx) => {
    for (const [list, spans] of [['critical', body.critical], ['entities', body.entities]] as const) {
      spans.forEach((s, i) => {
        if (s.start >= s.end || s.end > body.transcript.length) {
          ctx.addIssue({ code: 'custom', path: [list, i], message: 'a span must be non-empty and inside the transcript' });
        }
      });
    }
  });

const revision = z.int().min(0);

const noPayload = z.undefined({ error: 'this call takes no payload' });

export const requestSchemas = {
  'app:getInfo': noPayload,
  'session:get': noPayload,
  'batches:list': noPayload,
  'batches:get': z.strictObject({ batchId: batchIdSchema }),
  'clips:list': z.strictObject({ batchId: batchIdSchema }),
  'clips:open': z.strictObject(clipRef),
  'review:state': z.strictObject({ batchId: batchIdSchema }),
  'review:setPosition': z.strictObject(clipRef),
  'annotations:work': z.strictObject(clipRef),
  'annotations:saveDraft': z.strictObject({
    ...clipRef,
    basedOnRevision: revision,
    body: annotationBodySchema,
    disposition: z.enum(dispositions).nullable(),
  }),
  'annotations:submit': z.strictObject({
    ...clipRef,
    basedOnRevision: revision,
    disposition: z.enum(dispositions),
    body: annotationBodySchema,
  }),
  'annotations:history': z.strictObject(clipRef),
  'escalations:create': z.strictObject({
    ...clipRef,
    category: z.enum(escalationCategories),
    note: z.string().max(MAX_NOTE_CHARS),
  }),
} as const satisfies { readonly [C in InvokeChannel]: z.ZodType<RequestOf<C>> };
