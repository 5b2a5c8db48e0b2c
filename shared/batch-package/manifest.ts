/**
 * The batch package manifest, version 2 (docs/batch-package.md). The header is readable without
 * a key and holds only ids, sizes, locale and times; everything about what was said (ASR text,
 * durations, codecs, consent, hints) is in the encrypted details. Version 2 added the header
 * tag, which authenticates every readable byte.
 */
import { z } from 'zod';
import { batchIdSchema, clipIdSchema, freeTextHintSchema } from './pseudonymous-ids';
import { MAX_ASR_CHARS, MAX_CLIP_BYTES, MAX_CLIP_DURATION_MS, MAX_CLIPS, MAX_DETAILS_BYTES } from './limits';

export const FORMAT_VERSION = 2;

/**
 * What to tell someone holding a package of another format version, or undefined when `header`
 * (parsed JSON, not yet checked) does not claim one. Older versions carry a readable header no
 * tag covers, so they are never read: the batch has to be packed again.
 */
export function formatVersionProblem(header: unknown): string | undefined {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return undefined;
  }
  const { format, version } = header as Record<string, unknown>;
  if (format !== 'earmark-batch' || typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return undefined;
  }
  if (version < FORMAT_VERSION) {
    return (
      `This package is in batch format version ${version}, whose readable header (expiry, locale, times) is not ` +
      `authenticated; this Earmark reads only version ${FORMAT_VERSION}. Pack the batch again with this version ` +
      '("npm run batch -- pack"), or check it out from the annotation service again.'
    );
  }
  if (version > FORMAT_VERSION) {
    return `This package is in batch format version ${version}, newer than this Earmark reads (version ${FORMAT_VERSION}); update Earmark to import it.`;
  }
  return undefined;
}

export { batchIdSchema, clipIdSchema };

/** The longest domain hint a clip may carry. */
export const MAX_DOMAIN_HINT_CHARS = 64;

/** BCP 47 language tags of the shape reviewers work in: `en`, `en-US`, `es-419`, `sr-Latn-RS`. */
export const localeSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/, 'a locale looks like "en-US"');

/** Padded standard base64 that decodes to exactly `bytes` bytes. */
const base64Of = (bytes: number) =>
  z
    .string()
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'not padded base64')
    .refine(
      (s) => (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0) === bytes,
      `must decode to ${bytes} bytes`,
    );

const isoTime = z.iso.datetime({ offset: true });

export const consentValues = ['granted', 'withdrawn'] as const;
export const codecValues = ['opus', 'wav', 'flac'] as const;
export const deviceTypes = ['speaker', 'phone', 'tv', 'car', 'wearable', 'other'] as const;

export const headerSchema = z.strictObject({
  format: z.literal('earmark-batch'),
  version: z.literal(FORMAT_VERSION),
  batchId: batchIdSchema,
  createdAt: isoTime,
  expiresAt: isoTime,
  locale: localeSchema,
  recipient: z.strictObject({
    keyId: z.string().regex(/^[0-9a-f]{16}$/, 'a key id is 16 hex digits'),
    ephemeralPublicKey: base64Of(32),
    salt: base64Of(32),
    iv: base64Of(12),
    tag: base64Of(16),
    wrappedKey: base64Of(32),
  }),
  details: z.strictObject({
    size: z.int().min(1).max(MAX_DETAILS_BYTES),
    iv: base64Of(12),
    tag: base64Of(16),
  }),
  clips: z
    .array(
      z.strictObject({
        id: clipIdSchema,
        /** Null for a clip whose consent was withdrawn: its audio is never packed. */
        audio: z
          .strictObject({ size: z.int().min(1).max(MAX_CLIP_BYTES), iv: base64Of(12), tag: base64Of(16) })
          .nullable(),
      }),
    )
    .min(1)
    .max(MAX_CLIPS),
});

export const clipDetailsSchema = z.strictObject({
  id: clipIdSchema,
  durationMs: z.number().int().positive().max(MAX_CLIP_DURATION_MS),
  codec: z.enum(codecValues),
  asrText: z.string().max(MAX_ASR_CHARS),
  consent: z.enum(consentValues),
  hints: z
    .strictObject({
      domain: freeTextHintSchema(MAX_DOMAIN_HINT_CHARS).optional(),
      deviceType: z.enum(deviceTypes).optional(),
      wakeWordDetected: z.boolean().optional(),
    })
    .optional(),
});

/**
 * What a package says of a clip whose consent was withdrawn: its id and that mark, nothing else
 * (no ASR text, duration, codec or hints). Packers write only this.
 */
export const withdrawnClipSchema = z.strictObject({ id: clipIdSchema, consent: z.literal('withdrawn') });

const isWithdrawnEntry = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  (value as Record<string, unknown>)['consent'] === 'withdrawn' &&
  Object.keys(value).every((key) => key === 'id' || key === 'consent');

/**
 * One clip's entry in the details: a withdrawn clip's id and mark alone, or full details. The
 * entry's own keys pick the schema, so a problem is reported by the schema it belongs to (a zod
 * union would only say "invalid input"). Full details marked withdrawn, as older packers wrote
 * them, are still read; the import stores nothing of them either way.
 */
export const packedClipSchema = z.unknown().transform((value, ctx): PackedClipDetails => {
  const parsed = isWithdrawnEntry(value) ? withdrawnClipSchema.safeParse(value) : clipDetailsSchema.safeParse(value);
  if (parsed.success) {
    return parsed.data;
  }
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path], input: value });
  }
  return z.NEVER;
});

/** A reviewer's pseudonym, as the annotation service names its reviewers. */
export const assigneeSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a pseudonym is 1–64 letters, digits, "_" or "-"');

export const detailsSchema = z.strictObject({
  clips: z.array(packedClipSchema).max(MAX_CLIPS),
  /**
   * The reviewer the annotation service assigned the batch to (a pseudonym). An offline station
   * in service mode imports a package only for the reviewer it names; absent from packages made
   * for demo mode or by hand without `--assigned-to`.
   */
  assignedTo: assigneeSchema.optional(),
});

export type PackageHeader = z.infer<typeof headerSchema>;
export type ClipDetails = z.infer<typeof clipDetailsSchema>;
export type WithdrawnClip = z.infer<typeof withdrawnClipSchema>;
/** A clip as a package lists it: full details, or only the id and mark of a withdrawn clip. */
export type PackedClipDetails = ClipDetails | WithdrawnClip;
export type PackageDetails = z.infer<typeof detailsSchema>;
export type Consent = (typeof consentValues)[number];
export type Codec = (typeof codecValues)[number];
