/**
 * Runtime schemas for every invoke payload. Main parses each payload with its schema before a
 * handler runs; the `satisfies` clause keeps this table and the contract in step.
 */
import { z } from 'zod';
import type { InvokeChannel, RequestOf } from './contract';

/** Batch ids are opaque service tokens: short, ASCII, no path characters. */
export const batchIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a batch id is 1–64 letters, digits, "_" or "-"');

/** Clip ids, likewise opaque. */
export const clipIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a clip id is 1–64 letters, digits, "_" or "-"');

const noPayload = z.undefined({ error: 'this call takes no payload' });

export const requestSchemas = {
  'app:getInfo': noPayload,
  'session:get': noPayload,
  'batches:list': noPayload,
  'batches:get': z.strictObject({ batchId: batchIdSchema }),
  'clips:list': z.strictObject({ batchId: batchIdSchema }),
  'clips:open': z.strictObject({ batchId: batchIdSchema, clipId: clipIdSchema }),
} as const satisfies { readonly [C in InvokeChannel]: z.ZodType<RequestOf<C>> };
