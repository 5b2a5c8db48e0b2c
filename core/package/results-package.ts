/**
 * Writes and reads offline results packages, version 2 (shared/sync/results-package.ts): a
 * readable header that names the body's length and SHA-256, the device's Ed25519 signature over
 * the preamble and header, then the body sealed with AES-256-GCM under a fresh data key wrapped
 * for the service's X25519 key (the batch-key wrap, with the package id in place of a batch id).
 * The parts are readable one after another, so a receiver checks the header and its signature
 * before it reads the body, then the body's length and hash before anything is decrypted.
 */
import { createHash, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { replaceFile } from '../fs/durable-file';
import { z } from 'zod';
import {
  RESULTS_FORMAT_VERSION,
  RESULTS_MAGIC,
  RESULTS_MAX_BODY_BYTES,
  RESULTS_MAX_HEADER_BYTES,
  RESULTS_PREAMBLE_BYTES,
  RESULTS_SIGNATURE_BYTES,
  resultsBodySchema,
  resultsHeaderSchema,
  resultsVersionProblem,
  type ResultsBody,
  type ResultsHeader,
} from '../../shared/sync/results-package';
import { aad, KEY_BYTES } from '../crypto/aead';
import type { DeviceKey } from '../crypto/device-key';
import {
  CodecError,
  decodeSealedPart,
  decodeWrappedKey,
  encodeSealedPart,
  encodeWrappedKey,
  openJson,
  sealJson,
} from '../crypto/codec';
import { unwrapBatchKey, wrapBatchKey } from '../crypto/key-wrap';
import { signBytes, verifySignature, type SigningKey } from '../crypto/signing-key';

/**
 * Why a results package cannot be used; the message says what is wrong with it. `tooLarge`: it
 * declares more than a results package may hold.
 */
export class ResultsPackageError extends Error {
  override readonly name = 'ResultsPackageError';
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

export type WriteResultsInput = {
  readonly deviceKeyId: string;
  readonly signing: SigningKey;
  readonly author: string;
  readonly service: KeyObject;
  readonly now: number;
  readonly body: ResultsBody;
};

const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The package's bytes. */
export function buildResultsPackage(i: WriteResultsInput): Buffer {
  const packageId = randomUUID();
  const key = randomBytes(KEY_BYTES);
  try {
    const wrapped = wrapBatchKey(key, i.service, packageId);
    const sealed = sealJson(key, i.body, aad('results', packageId));
    if (sealed.ciphertext.length > RESULTS_MAX_BODY_BYTES) {
      throw new ResultsPackageError(
        `The results come to ${sealed.ciphertext.length} bytes, more than a results package may hold (${RESULTS_MAX_BODY_BYTES}).`,
        true,
      );
    }
    const header: ResultsHeader = {
      format: 'earmark-results',
      version: RESULTS_FORMAT_VERSION,
      packageId,
      createdAt: i.now,
      device: { keyId: i.deviceKeyId },
      author: i.author,
      recipient: encodeWrappedKey(wrapped),
      body: { ...encodeSealedPart(sealed), sha256: sha256Hex(sealed.ciphertext) },
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const preamble = Buffer.alloc(RESULTS_PREAMBLE_BYTES);
    preamble.write(RESULTS_MAGIC, 0, 'latin1');
    preamble.writeUInt32BE(headerBytes.length, 8);
    const head = Buffer.concat([preamble, headerBytes]);
    return Buffer.concat([head, signBytes(i.signing, head), sealed.ciphertext]);
  } finally {
    key.fill(0);
  }
}

/**
 * Writes the package to `file` through a temporary file flushed before its rename, and the
 * folder after it: once this returns, the package is on the disk whole, as the reviewer is told
 * their unsynced work is. Returns its size.
 */
export function writeResultsPackage(file: string, i: WriteResultsInput): number {
  const bytes = buildResultsPackage(i);
  replaceFile(file, bytes, { mode: 0o600, lasting: true });
  return bytes.length;
}

/** The header length the preamble announces, once its magic and bound are checked. */
export function resultsHeaderLength(preamble: Buffer): number {
  if (preamble.length < RESULTS_PREAMBLE_BYTES || preamble.toString('latin1', 0, 8) !== RESULTS_MAGIC) {
    throw new ResultsPackageError('This is not an Earmark results package.');
  }
  const length = preamble.readUInt32BE(8);
  if (length === 0 || length > RESULTS_MAX_HEADER_BYTES) {
    throw new ResultsPackageError(`The results package header is empty or over ${RESULTS_MAX_HEADER_BYTES} bytes.`);
  }
  return length;
}

/**
 * The readable header from `head` (preamble and header, exactly), checked for version, shape and
 * the declared body size; nothing is verified or decrypted yet.
 */
export function parseResultsHeader(head: Buffer): ResultsHeader {
  const length = resultsHeaderLength(head);
  if (head.length !== RESULTS_PREAMBLE_BYTES + length) {
    throw new ResultsPackageError('The results package header is cut off.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(head.toString('utf8', RESULTS_PREAMBLE_BYTES));
  } catch {
    throw new ResultsPackageError('The results package header is not JSON.');
  }
  const old = resultsVersionProblem(raw);
  if (old) {
    throw new ResultsPackageError(old);
  }
  const parsed = resultsHeaderSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ResultsPackageError(
      `The results package header is invalid: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  if (parsed.data.body.size > RESULTS_MAX_BODY_BYTES) {
    throw new ResultsPackageError(
      `The results package declares a body of ${parsed.data.body.size} bytes; at most ${RESULTS_MAX_BODY_BYTES} are accepted.`,
      true,
    );
  }
  return parsed.data;
}

/** Refuses unless `signature` is the device's over `head` (preamble and header). */
export function verifyResultsHeader(head: Buffer, signature: Buffer, signer: KeyObject): void {
  if (signature.length !== RESULTS_SIGNATURE_BYTES || !verifySignature(signer, head, signature)) {
    throw new ResultsPackageError(
      'The results package header signature does not verify: it was altered or not made by this device.',
    );
  }
}

/** Refuses unless `body` has exactly the length and SHA-256 the (verified) header declares. */
export function checkResultsBody(header: ResultsHeader, body: Buffer, sha256: string = sha256Hex(body)): void {
  if (body.length !== header.body.size) {
    throw new ResultsPackageError(
      `The results package body is ${body.length} bytes, but its header declares ${header.body.size}.`,
    );
  }
  if (sha256 !== header.body.sha256) {
    throw new ResultsPackageError('The results package body does not match the SHA-256 its signed header declares.');
  }
}

/** Decrypts a body already checked against its header with the service key, and checks its content. */
export function openResultsBody(header: ResultsHeader, body: Buffer, service: DeviceKey): ResultsBody {
  if (header.recipient.keyId !== service.keyId) {
    throw new ResultsPackageError('The results package is encrypted for another service key.');
  }
  const key = unwrapBatchKey(decodeWrappedKey(header.recipient), service, header.packageId);
  try {
    return openJson(
      key,
      decodeSealedPart(header.body, body),
      aad('results', header.packageId),
      resultsBodySchema,
      'The results',
    );
  } catch (error) {
    if (error instanceof CodecError && error.cause instanceof z.ZodError) {
      throw new ResultsPackageError(
        `The results package body is invalid: ${z.prettifyError(error.cause).split('\n')[0] ?? ''}`,
      );
    }
    throw error;
  } finally {
    key.fill(0);
  }
}

/** Splits a whole package into its parts, checking the header and that the length adds up. */
function splitResultsPackage(bytes: Buffer): { head: Buffer; header: ResultsHeader; signature: Buffer; body: Buffer } {
  const length = resultsHeaderLength(bytes);
  const headEnd = RESULTS_PREAMBLE_BYTES + length;
  if (bytes.length < headEnd) {
    throw new ResultsPackageError('The results package header is cut off.');
  }
  const head = bytes.subarray(0, headEnd);
  const header = parseResultsHeader(head);
  const bodyStart = headEnd + RESULTS_SIGNATURE_BYTES;
  if (bytes.length !== bodyStart + header.body.size) {
    throw new ResultsPackageError('The results package is truncated or has trailing bytes.');
  }
  return { head, header, signature: bytes.subarray(headEnd, bodyStart), body: bytes.subarray(bodyStart) };
}

/** The readable header of a whole package, checked for shape and length; nothing is verified yet. */
export function readResultsHeader(bytes: Buffer): ResultsHeader {
  return splitResultsPackage(bytes).header;
}

/** A whole package in memory: the header signature, then the body's length and hash, then its content. */
export function openResultsPackage(
  bytes: Buffer,
  signer: KeyObject,
  service: DeviceKey,
): { header: ResultsHeader; body: ResultsBody } {
  const { head, header, signature, body } = splitResultsPackage(bytes);
  verifyResultsHeader(head, signature, signer);
  checkResultsBody(header, body);
  return { header, body: openResultsBody(header, body, service) };
}
