/**
 * Reads and checks a batch package, one clip at a time, with bounded memory: every size in the
 * header is checked against the caps and the file's real length before a buffer is made. Import
 * and `batch verify` both run exactly this code.
 */
import { HEADER_TAG_BYTES, MAX_HEADER_BYTES, PACKAGE_MAGIC, PREAMBLE_BYTES } from '../../shared/batch-package/limits';
import {
  detailsSchema,
  formatVersionProblem,
  headerSchema,
  type PackageHeader,
  type PackedClipDetails,
} from '../../shared/batch-package/manifest';
import type { PackageRefusal } from '../../shared/result';
import { aad, AuthenticationError, open } from '../crypto/aead';
import type { DeviceKey } from '../crypto/device-key';
import { headerTagMatches } from '../crypto/header-tag';
import { decodeSealedPart, decodeWrappedKey } from '../crypto/codec';
import { unwrapBatchKey, type WrappedKey } from '../crypto/key-wrap';
import { visitClips, type ClipOutcome } from './package-clips';
import { openSource, readExactly, type PackageSource } from './package-file';
import { parseJson } from './package-json';
import { PackageRefusedError, refuse } from './package-refusal';

export type { ClipOutcome } from './package-clips';

export type OpenedPackage = {
  readonly header: PackageHeader;
  readonly wrapped: WrappedKey;
  /** The batch key; the caller zeroes it when done. */
  readonly batchKey: Buffer;
};

export type PackageVisitor = {
  /** Called once the header, key and details have all checked out, before the first clip. */
  readonly onOpened?: (header: PackageHeader, batchKey: Buffer) => void;
  readonly onClip: (outcome: ClipOutcome) => void;
};

export type ReadOptions = {
  readonly device: DeviceKey;
  /** Trusted current time (ms since epoch): an expired package is refused. */
  readonly now: number;
};

function checkHeader(header: PackageHeader, fileSize: number, headerLength: number, o: ReadOptions): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of header.clips) {
    if (seen.has(c.id)) {
      problems.push(`Clip id "${c.id}" appears more than once.`);
    }
    seen.add(c.id);
  }
  const created = Date.parse(header.createdAt);
  const expires = Date.parse(header.expiresAt);
  if (expires <= created) {
    problems.push('The package expires before it was created.');
  }
  if (expires <= o.now) {
    problems.push(`The batch expired on ${header.expiresAt}.`);
  }
  const expected = describedSize(header, headerLength);
  if (fileSize < expected) {
    problems.push(`The package is truncated: the header describes ${expected} bytes, the file has ${fileSize}.`);
  } else if (fileSize > expected) {
    problems.push(`The package has ${fileSize - expected} unexpected bytes after its last clip.`);
  }
  if (header.recipient.keyId !== o.device.keyId) {
    problems.push(
      `The package was made for workstation key ${header.recipient.keyId}; this workstation's key is ${o.device.keyId}.`,
    );
  }
  if (problems.length > 0) {
    const refusal: PackageRefusal =
      expires <= o.now
        ? { reason: 'expired', expiresAt: header.expiresAt }
        : header.recipient.keyId !== o.device.keyId
          ? { reason: 'other_workstation' }
          : { reason: 'invalid' };
    throw new PackageRefusedError(problems, refusal);
  }
}

type ReadHeader = {
  readonly size: number;
  readonly header: PackageHeader;
  readonly headerLength: number;
  /** The preamble and header exactly as read: what the header tag covers. */
  readonly tagged: Buffer;
};

/** Reads and validates the preamble and header; no key needed, so nothing here is authenticated yet. */
function readHeader(source: PackageSource): ReadHeader {
  const size = source.size;
  if (size < PREAMBLE_BYTES) {
    throw new PackageRefusedError(['The file is too short to be a batch package.'], { reason: 'not_a_package' });
  }
  const preamble = readExactly(source, PREAMBLE_BYTES, 0);
  if (preamble.toString('latin1', 0, 8) !== PACKAGE_MAGIC) {
    throw new PackageRefusedError(['This is not an Earmark batch package (wrong magic bytes).'], {
      reason: 'not_a_package',
    });
  }
  const headerLength = preamble.readUInt32BE(8);
  if (headerLength > MAX_HEADER_BYTES) {
    refuse(`The header declares ${headerLength} bytes; the limit is ${MAX_HEADER_BYTES}.`);
  }
  if (PREAMBLE_BYTES + headerLength > size) {
    refuse('The package is truncated inside its header.');
  }
  const headerBytes = readExactly(source, headerLength, PREAMBLE_BYTES);
  const header = parseJson(headerBytes, headerSchema, 'header', formatVersionProblem);
  return { size, header, headerLength, tagged: Buffer.concat([preamble, headerBytes]) };
}

export type PackageSummary = {
  readonly header: PackageHeader;
  readonly fileSize: number;
  /** The size the header accounts for; differs from fileSize when truncated or padded. */
  readonly describedSize: number;
};

/**
 * What `batch inspect` shows: the readable header only. Nothing is decrypted, and without the
 * batch key nothing is authenticated either: only `readPackage` checks the header tag.
 */
export function inspectPackage(file: string): PackageSummary {
  const source = openSource(file);
  try {
    const { size, header, headerLength } = readHeader(source);
    return { header, fileSize: size, describedSize: describedSize(header, headerLength) };
  } finally {
    source.close();
  }
}

const describedSize = (header: PackageHeader, headerLength: number): number =>
  PREAMBLE_BYTES +
  headerLength +
  HEADER_TAG_BYTES +
  header.details.size +
  header.clips.reduce((sum, c) => sum + (c.audio?.size ?? 0), 0);

/** A package whose header, key and details checked out: what a clip visit needs. */
export type OpenedHeader = OpenedPackage & {
  readonly details: readonly PackedClipDetails[];
  /** The reviewer the package was assigned to (a pseudonym), or null when it names none. */
  readonly assignedTo: string | null;
  /** Where the first clip body starts. */
  readonly bodyStart: number;
};

/**
 * Validates a package for `options.device` up to its first clip: header, batch key, header tag
 * and clip details. Cheap (no clip is read), so it can run where the device key lives while the
 * clips are visited elsewhere. Throws PackageRefusedError; the caller zeroes the batch key.
 */
export function openPackage(source: PackageSource, options: ReadOptions): OpenedHeader {
  let batchKey: Buffer | undefined;
  try {
    const { size, header, headerLength, tagged } = readHeader(source);
    checkHeader(header, size, headerLength, options);

    const wrapped = decodeWrappedKey(header.recipient);
    try {
      batchKey = unwrapBatchKey(wrapped, options.device, header.batchId);
    } catch {
      refuse(
        "The batch key does not unwrap with this workstation's key: the package was altered or made for another key.",
      );
    }
    const key = batchKey as Buffer;

    let position = PREAMBLE_BYTES + headerLength;
    // So far the header has only been used to refuse, and to unwrap the key (whose wrap binds the
    // batch id and its own fields). From here on it is trusted, so every byte of it must be as
    // packed: an expiry moved later, a locale or time changed, is refused here.
    if (!headerTagMatches(key, header.batchId, tagged, readExactly(source, HEADER_TAG_BYTES, position))) {
      refuse('The package header was altered after packing: it does not match its header tag.');
    }
    position += HEADER_TAG_BYTES;
    const sealedDetails = readExactly(source, header.details.size, position);
    position += header.details.size;
    let detailsPlain: Buffer;
    try {
      detailsPlain = open(
        key,
        decodeSealedPart(header.details, sealedDetails),
        aad('details', header.batchId),
        'The clip details',
      );
    } catch (error) {
      return refuse(error instanceof AuthenticationError ? error.message : 'The clip details cannot be read.');
    }
    const details = parseJson(detailsPlain, detailsSchema, 'clip details');
    detailsPlain.fill(0);
    const sameClips =
      details.clips.length === header.clips.length && details.clips.every((d, i) => d.id === header.clips[i]?.id);
    if (!sameClips) {
      refuse('The clip details do not list the same clips, in the same order, as the header.');
    }
    return {
      header,
      wrapped,
      batchKey: key,
      details: details.clips,
      assignedTo: details.assignedTo ?? null,
      bodyStart: position,
    };
  } catch (error) {
    batchKey?.fill(0);
    throw error;
  }
}

/**
 * Opens `from` (a package file, or its bytes), validates it for `options.device`, then visits
 * every clip in order. Throws PackageRefusedError for anything that refuses the whole package.
 */
export function readPackage(from: string | Uint8Array, options: ReadOptions, visitor: PackageVisitor): OpenedPackage {
  const source = openSource(from);
  let batchKey: Buffer | undefined;
  try {
    const opened = openPackage(source, options);
    batchKey = opened.batchKey;
    visitor.onOpened?.(opened.header, opened.batchKey);
    visitClips(source, opened, opened.batchKey, (outcome) => {
      visitor.onClip(outcome);
      return true;
    });
    return { header: opened.header, wrapped: opened.wrapped, batchKey: opened.batchKey };
  } catch (error) {
    batchKey?.fill(0);
    throw error;
  } finally {
    source.close();
  }
}
