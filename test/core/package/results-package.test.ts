import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../../../core/crypto/device-key';
import { deriveSigningKey, signBytes } from '../../../core/crypto/signing-key';
import {
  buildResultsPackage,
  openResultsPackage,
  parseResultsHeader,
  ResultsPackageError,
} from '../../../core/package/results-package';
import {
  RESULTS_MAX_BODY_BYTES,
  RESULTS_PREAMBLE_BYTES,
  RESULTS_SIGNATURE_BYTES,
  type ResultsBody,
} from '../../../shared/sync/results-package';

const device = generateDeviceKey();
const signing = deriveSigningKey(device);
const service = generateDeviceKey();

const body: ResultsBody = {
  ops: [
    {
      kind: 'audit',
      op: { opId: randomUUID(), type: 'results_exported', at: 1_000 },
    },
  ],
  timing: [],
};

const build = (): Buffer =>
  buildResultsPackage({
    deviceKeyId: device.keyId,
    signing,
    author: 'rv-7f3a21',
    service: service.publicKey,
    now: 1_000,
    body,
  });

/** The parts of a package as written: preamble and header, signature, body. */
function parts(bytes: Buffer) {
  const headEnd = RESULTS_PREAMBLE_BYTES + bytes.readUInt32BE(8);
  return {
    head: bytes.subarray(0, headEnd),
    header: JSON.parse(bytes.toString('utf8', RESULTS_PREAMBLE_BYTES, headEnd)) as Record<string, unknown>,
    body: bytes.subarray(headEnd + RESULTS_SIGNATURE_BYTES),
  };
}

/** A package whose header is `edit`ed and signed again by the same device, as an insider could. */
function resigned(bytes: Buffer, edit: (header: Record<string, unknown>) => unknown, newBody?: Buffer): Buffer {
  const p = parts(bytes);
  const headerBytes = Buffer.from(JSON.stringify(edit(p.header)), 'utf8');
  const preamble = Buffer.from(p.head.subarray(0, RESULTS_PREAMBLE_BYTES));
  preamble.writeUInt32BE(headerBytes.length, 8);
  const head = Buffer.concat([preamble, headerBytes]);
  return Buffer.concat([head, signBytes(signing, head), newBody ?? p.body]);
}

describe('results package, version 2', () => {
  it('puts the body length and SHA-256 in the signed header, and reads back what was written', () => {
    const bytes = build();
    const p = parts(bytes);
    expect(p.header).toMatchObject({
      format: 'earmark-results',
      version: 2,
      body: { size: p.body.length, sha256: createHash('sha256').update(p.body).digest('hex') },
    });
    expect(openResultsPackage(bytes, signing.publicKey, service).body).toEqual(body);
  });

  it('refuses a body that does not match the hash its signed header carries', () => {
    const bytes = build();
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
    expect(() => openResultsPackage(bytes, signing.publicKey, service)).toThrow(/does not match the SHA-256/);
  });

  it('refuses a header signed by another device', () => {
    const other = deriveSigningKey(generateDeviceKey());
    expect(() => openResultsPackage(build(), other.publicKey, service)).toThrow(/signature does not verify/);
  });

  it('refuses a declared body over the limit as too large, from the header alone', () => {
    const lying = resigned(build(), (h) => ({
      ...h,
      body: { ...(h['body'] as object), size: RESULTS_MAX_BODY_BYTES + 1 },
    }));
    const head = parts(lying).head;
    let caught: unknown;
    try {
      parseResultsHeader(head);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ResultsPackageError);
    expect((caught as ResultsPackageError).tooLarge).toBe(true);
  });

  it('refuses a version 1 package with a message that says what to do', () => {
    const old = resigned(build(), (h) => ({ ...h, version: 1 }));
    expect(() => openResultsPackage(old, signing.publicKey, service)).toThrow(
      /format version 1, which cannot be checked before all of it is read.*Export the results again/,
    );
  });
});
