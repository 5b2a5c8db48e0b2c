/**
 * The long part of reading a package: every clip body, decrypted to be checked and thrown
 * away again, in order. An import runs this away from the main thread.
 */
import type { ClipDetails, PackageHeader, PackedClipDetails } from '../../shared/batch-package/manifest';
import { aad, open } from '../crypto/aead';
import { decodeSealedPart } from '../crypto/codec';
import { AudioProbeError, probeAudio } from './audio-probe';
import { sequentialReader, type BodyReader, type PackageSource } from './package-file';
import type { OpenedHeader } from './package-reader';

/**
 * One clip's fate. An `ok` outcome's ciphertext is a view that is valid only during the
 * callback, unless the visit was asked to keep bodies.
 */
export type ClipOutcome =
  | {
      readonly kind: 'ok';
      readonly ordinal: number;
      readonly details: ClipDetails;
      readonly iv: Buffer;
      readonly tag: Buffer;
      readonly ciphertext: Buffer;
    }
  | { readonly kind: 'quarantined'; readonly ordinal: number; readonly details: ClipDetails; readonly reason: string }
  | { readonly kind: 'withdrawn'; readonly ordinal: number; readonly details: PackedClipDetails };

/** Encoders pad and trim a little; more than this is a manifest that lies about the clip. */
const DURATION_TOLERANCE_MS = 250;

function checkAudio(plain: Buffer, details: ClipDetails): string | undefined {
  try {
    const info = probeAudio(plain);
    if (info.codec !== details.codec) {
      return `The audio is ${info.codec}, but the manifest says ${details.codec}.`;
    }
    if (info.durationMs === 0) {
      return 'The audio holds no samples.';
    }
    // Timing and the heard-in-full rule rely on the declared length; it must be the real one.
    if (Math.abs(info.durationMs - details.durationMs) > DURATION_TOLERANCE_MS + details.durationMs * 0.05) {
      return `The manifest says ${details.durationMs} ms, but the audio lasts ${info.durationMs} ms.`;
    }
    return undefined;
  } catch (error) {
    return error instanceof AudioProbeError ? error.message : 'The audio could not be read.';
  }
}

/**
 * Visits every clip of an opened package in order, from `from` (a clip ordinal) on. A clip
 * that fails authentication or is not the audio it claims is reported as quarantined and never
 * decrypted into the caller's hands. `onClip` returns `false` to stop early (a cancelled
 * import); the number of clips visited is returned. With `keepBodies`, each `ok` outcome's
 * ciphertext stays valid after the callback, for a caller that writes clips in chunks; such a
 * caller may pass its own reader instead (`sequentialReader` with `keep`, from the first body),
 * to release the bodies of each chunk once it is written.
 */
export function visitClips(
  source: PackageSource,
  opened: Pick<OpenedHeader, 'header' | 'details' | 'bodyStart'>,
  key: Buffer,
  onClip: (outcome: ClipOutcome) => boolean,
  keepBodies: boolean | BodyReader = false,
): number {
  const { header, details } = opened;
  let position = opened.bodyStart;
  const readBody = typeof keepBodies === 'function' ? keepBodies : sequentialReader(source, position, keepBodies);
  for (let ordinal = 0; ordinal < header.clips.length; ordinal += 1) {
    const clip = header.clips[ordinal] as PackageHeader['clips'][number];
    const d = details[ordinal] as PackedClipDetails;
    let outcome: ClipOutcome;
    if (d.consent === 'withdrawn') {
      // Never decrypt audio whose speaker withdrew consent; skip over any bytes it has.
      position += clip.audio?.size ?? 0;
      outcome = { kind: 'withdrawn', ordinal, details: d };
    } else if (!clip.audio) {
      outcome = { kind: 'quarantined', ordinal, details: d, reason: 'The package has no audio for this clip.' };
    } else {
      const ciphertext = readBody(clip.audio.size, position);
      position += clip.audio.size;
      const sealed = decodeSealedPart(clip.audio, ciphertext);
      let plain: Buffer | undefined;
      let reason: string | undefined;
      try {
        plain = open(key, sealed, aad('clip', header.batchId, clip.id), 'The clip audio');
      } catch (error) {
        reason = error instanceof Error ? error.message : 'Decryption failed.';
      }
      if (plain) {
        reason = checkAudio(plain, d);
        plain.fill(0);
      }
      outcome =
        reason !== undefined
          ? { kind: 'quarantined', ordinal, details: d, reason }
          : { kind: 'ok', ordinal, details: d, ...sealed };
    }
    if (!onClip(outcome)) {
      return ordinal + 1;
    }
  }
  return header.clips.length;
}
