/**
 * Writes a batch package (docs/batch-package.md): a readable header of ids, sizes and times,
 * the header tag that authenticates it, then the encrypted details, then each clip's ciphertext.
 * Of a clip whose consent was withdrawn only the id and that mark are written: no audio, no ASR
 * text, no details.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { FORMAT_VERSION, type PackageHeader, type PackedClipDetails } from '../../shared/batch-package/manifest';
import { PACKAGE_MAGIC, PREAMBLE_BYTES } from '../../shared/batch-package/limits';
import { aad, KEY_BYTES, seal } from '../crypto/aead';
import { headerTag } from '../crypto/header-tag';
import { encodeSealedPart, encodeWrappedKey, sealJson } from '../crypto/codec';
import { wrapBatchKey } from '../crypto/key-wrap';
import { replaceFile } from '../fs/durable-file';

export type PackClip = {
  /** Full details, or only the id and mark of a withdrawn clip; either way a withdrawn clip keeps only those. */
  readonly details: PackedClipDetails;
  /** The plain audio; ignored (and not written) when consent is withdrawn. */
  readonly audio: Buffer | null;
};

/** The order every clip's entry is written in: the manifest schema's, then any other key as given. */
const DETAIL_KEYS = ['id', 'durationMs', 'codec', 'asrText', 'consent', 'hints'] as const;
const HINT_KEYS = ['domain', 'deviceType', 'wakeWordDetected'] as const;

function inOrder<T extends object>(value: T, first: readonly string[]): T {
  const entries = Object.entries(value);
  const known = first.flatMap((k) => entries.filter(([key]) => key === k));
  // Same keys and values as `value`, only reordered.
  return Object.fromEntries([...known, ...entries.filter(([key]) => !first.includes(key))]) as T;
}

/**
 * What the package says of a clip: for a withdrawn one, its id and the mark alone, whatever the
 * caller handed over, so no ASR text, duration or hint of it ever leaves in a package. Every
 * entry's keys are written in one order, so how a clip's details were made (a clip list, a gold
 * clip mixed in by the service) cannot be read from the decrypted details.
 */
const packedDetails = (d: PackedClipDetails): PackedClipDetails => {
  if (d.consent === 'withdrawn') {
    return { id: d.id, consent: 'withdrawn' };
  }
  const ordered = inOrder(d, DETAIL_KEYS);
  return ordered.hints ? { ...ordered, hints: inOrder(ordered.hints, HINT_KEYS) } : ordered;
};

export type PackInput = {
  readonly batchId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly locale: string;
  readonly recipient: KeyObject;
  readonly clips: readonly PackClip[];
  /** The reviewer (pseudonym) the batch is assigned to, sealed in the details; omitted when none. */
  readonly assignedTo?: string | undefined;
};

/** The package's bytes in order (preamble, header, header tag, details, one body per clip). */
function packageParts(input: PackInput): Buffer[] {
  const batchKey = randomBytes(KEY_BYTES);
  try {
    const wrapped = wrapBatchKey(batchKey, input.recipient, input.batchId);
    const bodies: Buffer[] = [];
    const clips: PackageHeader['clips'] = input.clips.map(({ details, audio }) => {
      if (details.consent === 'withdrawn' || !audio) {
        return { id: details.id, audio: null };
      }
      const sealed = seal(batchKey, audio, aad('clip', input.batchId, details.id));
      bodies.push(sealed.ciphertext);
      return { id: details.id, audio: encodeSealedPart(sealed) };
    });
    const details = sealJson(
      batchKey,
      {
        clips: input.clips.map((c) => packedDetails(c.details)),
        ...(input.assignedTo === undefined ? {} : { assignedTo: input.assignedTo }),
      },
      aad('details', input.batchId),
    );
    const header: PackageHeader = {
      format: 'earmark-batch',
      version: FORMAT_VERSION,
      batchId: input.batchId,
      createdAt: input.createdAt.toISOString(),
      expiresAt: input.expiresAt.toISOString(),
      locale: input.locale,
      recipient: encodeWrappedKey(wrapped),
      details: encodeSealedPart(details),
      clips,
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const preamble = Buffer.alloc(PREAMBLE_BYTES);
    preamble.write(PACKAGE_MAGIC, 0, 'latin1');
    preamble.writeUInt32BE(headerBytes.length, 8);
    // Over the exact bytes the reader will see, so no readable field escapes it.
    const tag = headerTag(batchKey, input.batchId, Buffer.concat([preamble, headerBytes]));

    return [preamble, headerBytes, tag, details.ciphertext, ...bodies];
  } finally {
    batchKey.fill(0);
  }
}

/** The package as bytes in memory, for an answer sent at once (a checkout): nothing touches the disk. */
export function packPackage(input: PackInput): Buffer {
  return Buffer.concat(packageParts(input));
}

/**
 * Writes the package to `file` and returns its size: whole or not at all, through a flushed
 * temporary file, and flushed with its folder, so a package handed out after a power cut is
 * never an empty or short file under its name.
 */
export function writePackage(file: string, input: PackInput): number {
  const parts = packageParts(input);
  replaceFile(file, parts, { mode: 0o600, lasting: true });
  return parts.reduce((n, part) => n + part.length, 0);
}
