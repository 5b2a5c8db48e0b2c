/**
 * Runtime schemas for every invoke payload. Main parses each payload with its schema before a
 * handler runs; the `satisfies` clause keeps this table and the contract in step.
 */
import { z } from 'zod';
import { hearingRequestSchemas } from './hearing-schemas';
import {
  criticalCategories,
  dispositions,
  entityTypePattern,
  escalationCategories,
  MAX_TRANSCRIPT_CHARS,
} from '../domain/annotation';
import { batchIdSchema, clipIdSchema } from '../batch-package/pseudonymous-ids';
import { settingsPatchSchema } from '../settings/settings.schema';
import { PIN_PATTERN } from '../domain/lock';
import { attentionActions } from '../domain/sync';
import type { InvokeChannel, RequestOf } from './contract';
import { inboxRequestSchemas } from './inbox-schemas';
import { timingRequestSchemas } from './timing-schemas';

/** Clip and batch ids have one opaque form, defined with the batch package (pseudonymous-ids.ts). */
export { batchIdSchema, clipIdSchema };

export { MAX_TRANSCRIPT_CHARS };
export const MAX_SPANS = 200;
export const MAX_NOTE_CHARS = 4_000;

const clipRef = { batchId: batchIdSchema, clipId: clipIdSchema };
const offset = z.int().min(0).max(MAX_TRANSCRIPT_CHARS);

/** A transcript with its spans; every span lies inside the transcript and is not empty. */
export const annotationBodySchema = z
  .strictObject({
    transcript: z.string().max(MAX_TRANSCRIPT_CHARS),
    critical: z
      .array(z.strictObject({ start: offset, end: offset, category: z.enum(criticalCategories) }))
      .max(MAX_SPANS),
    entities: z
      .array(
        z.strictObject({
          start: offset,
          end: offset,
          type: z.string().regex(entityTypePattern, 'an entity type is a short lower-case word'),
          kbId: z.string().min(1).max(128).optional(),
        }),
      )
      .max(MAX_SPANS),
  })
  .superRefine((body, ctx) => {
    for (const [list, spans] of [
      ['critical', body.critical],
      ['entities', body.entities],
    ] as const) {
      spans.forEach((s, i) => {
        if (s.start >= s.end || s.end > body.transcript.length) {
          ctx.addIssue({
            code: 'custom',
            path: [list, i],
            message: 'a span must be non-empty and inside the transcript',
          });
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
  'settings:get': noPayload,
  'sync:status': noPayload,
  'sync:signIn': z.strictObject({
    account: z.string().trim().min(1, 'enter your account').max(128),
    password: z.string().min(1, 'enter your password').max(1_024),
    totp: z.string().regex(/^[0-9]{6}$/, 'the one-time code is 6 digits'),
    enrolmentCode: z
      .string()
      .max(64)
      .regex(/^[0-9A-Za-z\s-]+$/, 'an enrolment code is letters, digits and dashes')
      .refine((s) => s.replace(/[\s-]/g, '').length === 16, 'an enrolment code has 16 letters or digits')
      .optional(),
  }),
  'sync:signOut': noPayload,
  'sync:retry': noPayload,
  'sync:importFolder': noPayload,
  'sync:importPackage': noPayload,
  'sync:exportResults': noPayload,
  'sync:resolve': z.strictObject({ opId: z.uuid(), action: z.enum(attentionActions) }),
  'sync:handOver': z.strictObject({ batchId: batchIdSchema }),
  ...hearingRequestSchemas(clipRef),
  'device:info': noPayload,
  'device:savePublicKey': noPayload,
  'lock:state': noPayload,
  'lock:lock': z.strictObject({ reason: z.enum(['idle', 'manual']) }),
  'lock:unlock': z.strictObject({ secret: z.string().min(1, 'enter your password or PIN').max(1_024).optional() }),
  'lock:setPin': z.strictObject({ pin: z.string().regex(PIN_PATTERN, 'a PIN is 4 to 12 digits') }),
  'settings:update': settingsPatchSchema,
  'escalations:create': z.strictObject({
    ...clipRef,
    category: z.enum(escalationCategories),
    note: z.string().max(MAX_NOTE_CHARS),
  }),
  ...inboxRequestSchemas,
  ...timingRequestSchemas({ batchId: batchIdSchema, clipId: clipIdSchema }),
} as const satisfies { readonly [C in InvokeChannel]: z.ZodType<RequestOf<C>> };
