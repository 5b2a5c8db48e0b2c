/**
 * What the vault stores for each clip a package holds: the same rows whether the import runs on
 * the main thread or in the import worker.
 */
import { z } from 'zod';
import { aad, type Sealed } from '../../../core/crypto/aead';
import { sealJson } from '../../../core/crypto/codec';
import type { ClipOutcome } from '../../../core/package/package-clips';
import { clipDetailsSchema, type ClipDetails } from '../../../shared/batch-package/manifest';
import type { NewClip } from '../../db/repositories/vault.repository';

const hintsSchema = clipDetailsSchema.shape.hints.unwrap();

/**
 * Clip details as the vault keeps them, sealed per clip. `expiresAt` is the batch's expiry from
 * its authenticated header, sealed with each clip so that a batch row edited in the database
 * cannot keep a clip open past it; clips imported before it was sealed have none.
 */
export const clipMetaSchema = z.strictObject({
  durationMs: z.number(),
  codec: clipDetailsSchema.shape.codec,
  asrText: z.string(),
  hints: hintsSchema.nullable(),
  expiresAt: z.number().int().optional(),
});
export type ClipMeta = z.infer<typeof clipMetaSchema>;

/** Clip details at rest: sealed per clip so one clip's can be read without the others'. */
export function sealMeta(key: Buffer, batchId: string, expiresAt: number, c: ClipDetails): Sealed {
  const meta: ClipMeta = {
    durationMs: c.durationMs,
    codec: c.codec,
    asrText: c.asrText,
    hints: c.hints ?? null,
    expiresAt,
  };
  return sealJson(key, meta, aad('meta', batchId, c.id));
}

/** One clip's row: a clip (ready or quarantined), or a clip refused because consent was withdrawn. */
export type ClipWrite =
  { readonly kind: 'clip'; readonly clip: NewClip } | { readonly kind: 'refused'; readonly clipId: string };

/**
 * The row for one outcome. Its ciphertext is the reader's view, not a copy: a row kept past the
 * next clip (written in chunks) needs a visit that keeps bodies.
 */
export function clipWrite(o: ClipOutcome, key: Buffer, batchId: string, expiresAt: number): ClipWrite {
  const clipId = o.details.id;
  if (o.kind === 'withdrawn') {
    return { kind: 'refused', clipId };
  }
  const meta = sealMeta(key, batchId, expiresAt, o.details);
  if (o.kind === 'quarantined') {
    return { kind: 'clip', clip: { clipId, ordinal: o.ordinal, state: 'quarantined', reason: o.reason, meta } };
  }
  const audio = { iv: o.iv, tag: o.tag, ciphertext: o.ciphertext };
  return { kind: 'clip', clip: { clipId, ordinal: o.ordinal, state: 'ready', audio, meta } };
}

/** Bytes a row adds to its chunk: what bounds a chunk's transaction. */
export const writeBytes = (w: ClipWrite): number =>
  w.kind === 'clip'
    ? w.clip.meta.ciphertext.length + (w.clip.state === 'ready' ? w.clip.audio.ciphertext.length : 0)
    : 0;
