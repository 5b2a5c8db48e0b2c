/**
 * Writes and reads offline results packages (shared/sync/results-package.ts): the body sealed
 * with AES-256-GCM under a fresh data key, the data key wrapped for the service's X25519 key
 * (the batch-key wrap, with the package id in place of a batch id), and an Ed25519 signature
 * of the device over every byte before it. Reading verifies the signature before anything is
 * decrypted.
 */
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import {
  RESULTS_FORMAT_VERSION,
  RESULTS_MAGIC,
  RESULTS_MAX_HEADER_BYTES,
  RESULTS_PREAMBLE_BYTES,
  RESULTS_SIGNATURE_BYTES,
  resultsBodySchema,
  resultsHeaderSchema,
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

/** Why a results package cannot be used; the message says what is wrong with it. */
export class ResultsPackageError extends Error {
  override readonly name = 'ResultsPackageError';
}

export type WriteResultsInput = {
  readonly deviceKeyId: string;
  readonly signing: SigningKey;
  readonly author: string;
  readonly service: KeyObject;
  readonly now: number;
  readonly body: ResultsBody;
};

/** The package's bytes. */
export function buildResultsPackage(i: WriteResultsInput): Buffer {
  const packageId = randomUUID();
  const key = randomBytes(KEY_BYTES);
  try {
    const wrapped = wrapBatchKey(key, i.service, packageId);
    const sealed = sealJson(key, i.body, aad('results', packageId));
    const header: ResultsHeader = {
      format: 'earmark-results',
      version: RESULTS_FORMAT_VERSION,
      packageId,
      createdAt: i.now,
      device: { keyId: i.deviceKeyId },
      author: i.author,
      recipient: encodeWrappedKey(wrapped),
      body: encodeSealedPart(sealed),
    };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const preamble = Buffer.alloc(RESULTS_PREAMBLE_BYTES);
    preamble.write(RESULTS_MAGIC, 0, 'latin1');
    preamble.writeUInt32BE(headerBytes.length, 8);
    const signed = Buffer.concat([preamble, headerBytes, sealed.ciphertext]);
    return Buffer.concat([signed, signBytes(i.signing, signed)]);
  } finally {
    key.fill(0);
  }
}

/** Writes the package to `file` through a temporary file and a rename; returns its size. */
export function writeResultsPackage(file: string, i: WriteResultsInput): number {
  const bytes = buildResultsPackage(i);
  const tmp = `${file}.partial`;
  writeFileSync(tmp, bytes, { mode: 0o600 });
  renameSync(tmp, file);
  return bytes.length;
}

/** The readable header, checked for shape and size; nothing is verified or decrypted yet. */
export function readResultsHeader(bytes: Buffer): ResultsHeader {
  if (
    bytes.length < RESULTS_PREAMBLE_BYTES + RESULTS_SIGNATURE_BYTES ||
    bytes.toString('latin1', 0, 8) !== RESULTS_MAGIC
  ) {
    throw new ResultsPackageError('This is not an Earmark results package.');
  }
  const length = bytes.readUInt32BE(8);
  if (length > RESULTS_MAX_HEADER_BYTES || RESULTS_PREAMBLE_BYTES + length > bytes.length) {
    throw new ResultsPackageError('The results package header is too large or cut off.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8', RESULTS_PREAMBLE_BYTES, RESULTS_PREAMBLE_BYTES + length));
  } catch {
    throw new ResultsPackageError('The results package header is not JSON.');
  }
  const parsed = resultsHeaderSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ResultsPackageError(
      `The results package header is invalid: ${parsed.error.issues[0]?.path.join('.') ?? ''}.`,
    );
  }
  if (RESULTS_PREAMBLE_BYTES + length + parsed.data.body.size + RESULTS_SIGNATURE_BYTES !== bytes.length) {
    throw new ResultsPackageError('The results package is truncated or has trailing bytes.');
  }
  return parsed.data;
}

/** Verifies the device signature, then decrypts with the service key and checks the body. */
export function openResultsPackage(
  bytes: Buffer,
  signer: KeyObject,
  service: DeviceKey,
): { header: ResultsHeader; body: ResultsBody } {
  const header = readResultsHeader(bytes);
  const signedEnd = bytes.length - RESULTS_SIGNATURE_BYTES;
  if (!verifySignature(signer, bytes.subarray(0, signedEnd), bytes.subarray(signedEnd))) {
    throw new ResultsPackageError(
      'The results package signature does not verify: it was altered or not made by this device.',
    );
  }
  if (header.recipient.keyId !== service.keyId) {
    throw new ResultsPackageError('The results package is encrypted for another service key.');
  }
  const key = unwrapBatchKey(decodeWrappedKey(header.recipient), service, header.packageId);
  try {
    const start = signedEnd - header.body.size;
    let body: ResultsBody;
    try {
      body = openJson(
        key,
        decodeSealedPart(header.body, bytes.subarray(start, signedEnd)),
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
    }
    return { header, body };
  } finally {
    key.fill(0);
  }
}
