/**
 * The offline results package, version 1 (docs/sync-protocol.md, "Offline results package"):
 * what an offline station carries to the service instead of syncing. The readable header
 * names only ids, times and sizes; the ops travel encrypted for the service's key, and the
 * whole file is signed by the device.
 */
import { z } from 'zod';
import {
  annotationOpSchema,
  auditOpSchema,
  base64Bytes,
  escalationOpSchema,
  identitySchema,
  keyIdSchema,
  timingRecordSchema,
} from './messages';

export const RESULTS_MAGIC = 'EARMARKR';
export const RESULTS_FORMAT_VERSION = 1;
/** Magic (8 bytes) + header length (u32, big-endian). */
export const RESULTS_PREAMBLE_BYTES = 12;
export const RESULTS_MAX_HEADER_BYTES = 64 * 1024;
/** An Ed25519 signature, after everything it signs. */
export const RESULTS_SIGNATURE_BYTES = 64;

export const resultsHeaderSchema = z.strictObject({
  format: z.literal('earmark-results'),
  version: z.literal(RESULTS_FORMAT_VERSION),
  packageId: z.uuid(),
  createdAt: z.int().min(0),
  /** The device that made and signed it, and the reviewer whose work it holds. */
  device: z.strictObject({ keyId: keyIdSchema }),
  author: identitySchema.shape.pseudonym,
  /** The data key, wrapped for the service key as batch keys are for devices. */
  recipient: z.strictObject({
    keyId: keyIdSchema,
    ephemeralPublicKey: base64Bytes(32),
    salt: base64Bytes(32),
    iv: base64Bytes(12),
    tag: base64Bytes(16),
    wrappedKey: base64Bytes(32),
  }),
  body: z.strictObject({ size: z.int().min(1), iv: base64Bytes(12), tag: base64Bytes(16) }),
});
export type ResultsHeader = z.infer<typeof resultsHeaderSchema>;

/** One op, in outbox order, tagged with its kind. */
export const resultsOpSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('annotation'), op: annotationOpSchema }),
  z.strictObject({ kind: z.literal('escalation'), op: escalationOpSchema }),
  z.strictObject({ kind: z.literal('audit'), op: auditOpSchema }),
]);
export type ResultsOp = z.infer<typeof resultsOpSchema>;

/** The encrypted body. */
export const resultsBodySchema = z.strictObject({
  ops: z.array(resultsOpSchema).max(1_000_000),
  timing: z.array(timingRecordSchema).max(1_000_000),
});
export type ResultsBody = z.infer<typeof resultsBodySchema>;
