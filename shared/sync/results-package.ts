/**
 * The offline results package, version 2 (docs/sync-protocol.md, "Offline stations"): what an
 * offline station carries to the service instead of syncing. The readable header names only ids,
 * times, the body's length and its SHA-256, and is signed by the device right after it, so a
 * receiver can check who sent it and how much is coming before it reads a byte of the body. The
 * ops travel encrypted for the service's key.
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
import { MAX_RESULTS_PACKAGE_BYTES } from './protocol';

export const RESULTS_MAGIC = 'EARMARKR';
export const RESULTS_FORMAT_VERSION = 2;
/** Magic (8 bytes) + header length (u32, big-endian). */
export const RESULTS_PREAMBLE_BYTES = 12;
export const RESULTS_MAX_HEADER_BYTES = 64 * 1024;
/** The device's Ed25519 signature over the preamble and header, right after the header. */
export const RESULTS_SIGNATURE_BYTES = 64;
/** The largest body a results package may declare (the whole upload stays within MAX_RESULTS_PACKAGE_BYTES). */
export const RESULTS_MAX_BODY_BYTES =
  MAX_RESULTS_PACKAGE_BYTES - RESULTS_PREAMBLE_BYTES - RESULTS_MAX_HEADER_BYTES - RESULTS_SIGNATURE_BYTES;

/**
 * What to tell someone holding a results package of another format version, or undefined when
 * `header` (parsed JSON, not yet checked) does not claim one. Version 1 was signed by a trailer
 * over the whole file, so nothing in it could be checked before all of it had been read.
 */
export function resultsVersionProblem(header: unknown): string | undefined {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return undefined;
  }
  const { format, version } = header as Record<string, unknown>;
  if (format !== 'earmark-results' || typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return undefined;
  }
  if (version < RESULTS_FORMAT_VERSION) {
    return (
      `This results package is in format version ${version}, which cannot be checked before all of it is read; ` +
      `this service reads only version ${RESULTS_FORMAT_VERSION}. Export the results again from an up-to-date Earmark: ` +
      'the work is still pending on the workstation.'
    );
  }
  if (version > RESULTS_FORMAT_VERSION) {
    return `This results package is in format version ${version}, newer than this service reads (version ${RESULTS_FORMAT_VERSION}).`;
  }
  return undefined;
}

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
  /** The body that follows the signature: its exact length and SHA-256 (lower-case hex), then its seal. */
  body: z.strictObject({
    size: z.int().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lower-case hex digits'),
    iv: base64Bytes(12),
    tag: base64Bytes(16),
  }),
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
