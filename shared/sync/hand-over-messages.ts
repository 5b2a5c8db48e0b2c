/**
 * Bodies of the hand-over of a batch from one device to another (docs/sync-protocol.md, "One
 * writer per batch"), as strict zod schemas beside ./messages.ts.
 */
import { z } from 'zod';
import { batchIdSchema } from '../ipc/schemas';
import { keyIdSchema } from './messages';

/**
 * POST /v1/batches/:batchId/release: the device holding the batch gives it up (a hand-over: it
 * drained its work first), so another device of the account may check it out.
 */
export const releaseRequestSchema = z.strictObject({ keyId: keyIdSchema });
export type ReleaseRequest = z.infer<typeof releaseRequestSchema>;
export const releaseResponseSchema = z.strictObject({ batchId: batchIdSchema, releasedAt: z.int().min(0) });
export type ReleaseResponse = z.infer<typeof releaseResponseSchema>;
