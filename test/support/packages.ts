/**
 * Test builders for batch packages: small real audio made in memory, packages written by the
 * production writer (or assembled from the crypto primitives when a test needs details the
 * writer would never produce), and byte-level tamperers that edit a package file in place. A
 * tamperer that edits the header leaves the header tag as packed, as a forger without the batch
 * key must; `reauthenticateHeader` re-makes it to reach the checks behind it.
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { HEADER_TAG_BYTES, PACKAGE_MAGIC, PREAMBLE_BYTES } from '../../shared/batch-package/limits';
import {
  FORMAT_VERSION,
  type ClipDetails,
  type Codec,
  type Consent,
  type PackageHeader,
} from '../../shared/batch-package/manifest';
import { aad, KEY_BYTES, seal } from '../../core/crypto/aead';
import { decodeWrappedKey, encodeSealedPart, encodeWrappedKey } from '../../core/crypto/codec';
import type { DeviceKey } from '../../core/crypto/device-key';
import { headerTag as tagOf } from '../../core/crypto/header-tag';
import { unwrapBatchKey, wrapBatchKey } from '../../core/crypto/key-wrap';
import { writePackage, type PackClip } from '../../core/package/package-writer';
import { testClipId } from './ids';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

// ---------------------------------------------------------------------------------------------
// Audio

export type PcmFormat = { readonly sampleRate?: number; readonly channels?: number };

/** A canonical 44-byte-header RIFF/WAVE file around 16-bit little-endian PCM. */
export function wavFromPcm(pcm: Buffer, format: PcmFormat = {}): Buffer {
  const sampleRate = format.sampleRate ?? 8_000;
  const channels = format.channels ?? 1;
  const blockAlign = channels * 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(pcm.length, 40);
  // RIFF chunks are word-aligned: an odd data chunk gets a pad byte.
  return Buffer.concat([header, pcm, Buffer.alloc(pcm.length % 2)]);
}

export type ToneOptions = PcmFormat & {
  readonly durationMs?: number;
  readonly frequencyHz?: number;
  readonly amplitude?: number;
};

/** A mono (or multi-channel) sine tone; amplitude 0 gives digital silence. */
export function sineWav(o: ToneOptions = {}): Buffer {
  const sampleRate = o.sampleRate ?? 8_000;
  const channels = o.channels ?? 1;
  const frames = Math.round(((o.durationMs ?? 300) / 1000) * sampleRate);
  const amplitude = o.amplitude ?? 0.5;
  const frequency = o.frequencyHz ?? 440;
  const pcm = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i += 1) {
    const sample = Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * amplitude * 32_767);
    for (let ch = 0; ch < channels; ch += 1) {
      pcm.writeInt16LE(sample, (i * channels + ch) * 2);
    }
  }
  return wavFromPcm(pcm, { sampleRate, channels });
}

/** Digital silence: every sample zero. */
export function silenceWav(durationMs = 300, sampleRate = 8_000): Buffer {
  return sineWav({ durationMs, sampleRate, amplitude: 0 });
}

/** `count` clips of 300 ms of silence, with ids `c-AAAAAAAAAAAA0000` on, for a batch. */
export function silentClips(count: number): { details: ClipDetails; audio: Buffer }[] {
  const audio = silenceWav(300);
  return Array.from({ length: count }, (_, i) => {
    const details: ClipDetails = {
      id: testClipId(i, 4),
      durationMs: 300,
      codec: 'wav',
      asrText: `clip ${i}`,
      consent: 'granted',
    };
    return { details, audio };
  });
}

/** A WAV whose PCM bytes are `pattern` repeated: a distinctive needle to search disks for. */
export function patternWav(pattern: Buffer, repeats: number): Buffer {
  if (pattern.length % 2 !== 0) {
    throw new Error('The pattern must be a whole number of 16-bit samples.');
  }
  return wavFromPcm(Buffer.concat(Array.from({ length: repeats }, () => pattern)));
}

/** CRC-8 (poly 0x07) over a FLAC frame header. */
function crc8(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i += 1) {
      crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
    }
  }
  return crc;
}

/** CRC-16 (poly 0x8005) over a whole FLAC frame. */
function crc16(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i += 1) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/**
 * A valid FLAC file of silence: STREAMINFO, then one frame whose only subframe is CONSTANT 0.
 * 8 kHz mono 16-bit; `durationMs` up to 8 s (one frame holds at most 65,536 samples).
 */
export function silenceFlac(durationMs = 300): Buffer {
  const sampleRate = 8_000;
  const samples = Math.round((durationMs / 1000) * sampleRate);
  if (samples < 16 || samples > 65_536) {
    throw new Error('silenceFlac makes one frame of 16 to 65,536 samples.');
  }
  // Frame header: sync + fixed blocking, block size "16-bit at end", 8 kHz, mono, 16 bits/sample.
  const head = Buffer.from([0xff, 0xf8, 0x74, 0x08, 0x00, (samples - 1) >> 8, (samples - 1) & 0xff]);
  const beforeCrc16 = Buffer.concat([head, Buffer.from([crc8(head)]), Buffer.from([0x00, 0x00, 0x00])]);
  const crc = crc16(beforeCrc16);
  const frame = Buffer.concat([beforeCrc16, Buffer.from([crc >> 8, crc & 0xff])]);

  const info = Buffer.alloc(34);
  info.writeUInt16BE(samples, 0);
  info.writeUInt16BE(samples, 2);
  info.writeUIntBE(frame.length, 4, 3);
  info.writeUIntBE(frame.length, 7, 3);
  // 20 bits sample rate, 3 bits channels-1, 5 bits bits-per-sample-1, 36 bits total samples.
  info.writeUInt32BE(((sampleRate << 12) | (0 << 9) | (15 << 4)) >>> 0, 10);
  info.writeUInt32BE(samples, 14);
  // MD5 of the decoded samples (all zero).
  createHash('md5')
    .update(Buffer.alloc(samples * 2))
    .digest()
    .copy(info, 18);
  return Buffer.concat([Buffer.from('fLaC', 'latin1'), Buffer.from([0x80, 0x00, 0x00, 34]), info, frame]);
}

/** Ogg's CRC-32 (poly 0x04C11DB7, not reflected, no final xor). */
function oggCrc(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let i = 0; i < 8; i += 1) {
      crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
    }
  }
  return crc >>> 0;
}

function oggPage(
  packets: readonly Buffer[],
  o: { headerType: number; granule: bigint; serial: number; sequence: number },
): Buffer {
  const lacing: number[] = [];
  for (const p of packets) {
    for (let left = p.length; ; left -= 255) {
      lacing.push(Math.min(left, 255));
      if (left < 255) {
        break;
      }
    }
  }
  const head = Buffer.alloc(27);
  head.write('OggS', 0, 'latin1');
  head.writeUInt8(0, 4);
  head.writeUInt8(o.headerType, 5);
  head.writeBigInt64LE(o.granule, 6);
  head.writeUInt32LE(o.serial, 14);
  head.writeUInt32LE(o.sequence, 18);
  head.writeUInt8(lacing.length, 26);
  const page = Buffer.concat([head, Buffer.from(lacing), ...packets]);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

/** The 3-byte CELT packet that decodes to 20 ms of silence. */
const OPUS_SILENCE_FRAME = Buffer.from([0xf8, 0xff, 0xfe]);
const OPUS_PRE_SKIP = 312;

/**
 * A valid Ogg Opus stream of silence: OpusHead, OpusTags, then 20 ms packets on one page. The
 * final granule position is pre-skip plus the playable samples, so decoders trim the end.
 */
export function silenceOpus(durationMs = 300): Buffer {
  const samples = Math.round(durationMs * 48);
  const frames = Math.ceil((samples + OPUS_PRE_SKIP) / 960);
  if (frames > 255) {
    throw new Error('silenceOpus puts at most 255 packets on its one audio page.');
  }
  const serial = 0x4541524d;
  const opusHead = Buffer.alloc(19);
  opusHead.write('OpusHead', 0, 'latin1');
  opusHead.writeUInt8(1, 8);
  opusHead.writeUInt8(1, 9);
  opusHead.writeUInt16LE(OPUS_PRE_SKIP, 10);
  opusHead.writeUInt32LE(48_000, 12);
  const vendor = Buffer.from('earmark-test', 'utf8');
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
  tags.write('OpusTags', 0, 'latin1');
  tags.writeUInt32LE(vendor.length, 8);
  vendor.copy(tags, 12);
  const packets = Array.from({ length: frames }, () => OPUS_SILENCE_FRAME);
  return Buffer.concat([
    oggPage([opusHead], { headerType: 0x02, granule: 0n, serial, sequence: 0 }),
    oggPage([tags], { headerType: 0x00, granule: 0n, serial, sequence: 1 }),
    oggPage(packets, { headerType: 0x04, granule: BigInt(OPUS_PRE_SKIP + samples), serial, sequence: 2 }),
  ]);
}

/** A web page, as a misconfigured export might put in place of audio. */
export const htmlBytes = (): Buffer =>
  Buffer.from('<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n', 'utf8');

/** The start of a 64-bit Linux executable. */
export function elfBytes(): Buffer {
  const b = Buffer.alloc(256);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]).copy(b, 0);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(0x3e, 18); // x86-64
  return b;
}

// ---------------------------------------------------------------------------------------------
// Packages

export type TestClip = {
  readonly id: string;
  /** Plain audio; defaults to a 300 ms 440 Hz WAV. Null packs no audio. */
  readonly audio?: Buffer | null;
  readonly codec?: Codec;
  readonly durationMs?: number;
  readonly asrText?: string;
  readonly consent?: Consent;
  readonly hints?: ClipDetails['hints'];
};

export type TestPackageOptions = {
  readonly recipient: KeyObject;
  readonly batchId?: string;
  readonly createdAt?: Date;
  /** Defaults to 14 days after createdAt. */
  readonly expiresAt?: Date;
  readonly locale?: string;
  /** Defaults to three 300 ms tones, c-AAAAAAAAAAAAAAA1 … c-AAAAAAAAAAAAAAA3. Ids may repeat: the writer does not check. */
  readonly clips?: readonly TestClip[];
  /** Ids whose consent is withdrawn (their audio is handed to the writer all the same). */
  readonly withdraw?: readonly string[];
};

export type BuiltPackage = {
  readonly file: string;
  readonly batchId: string;
  /** What was handed to the writer, in order. */
  readonly clips: readonly PackClip[];
  /** The size writePackage reported. */
  readonly bytes: number;
};

const defaultClips: readonly TestClip[] = [
  { id: 'c-AAAAAAAAAAAAAAA1', asrText: 'turn on the kitchen lights' },
  {
    id: 'c-AAAAAAAAAAAAAAA2',
    asrText: 'what is the weather tomorrow',
    audio: sineWav({ frequencyHz: 660, durationMs: 500 }),
    durationMs: 500,
  },
  {
    id: 'c-AAAAAAAAAAAAAAA3',
    asrText: 'set a timer for ten minutes',
    audio: sineWav({ frequencyHz: 880, durationMs: 200 }),
    durationMs: 200,
  },
];

/** The details the writer gets for one test clip. */
export function clipDetails(c: TestClip, withdrawn = false): ClipDetails {
  return {
    id: c.id,
    durationMs: c.durationMs ?? 300,
    codec: c.codec ?? 'wav',
    asrText: c.asrText ?? `hypothesis for ${c.id}`,
    consent: withdrawn ? 'withdrawn' : (c.consent ?? 'granted'),
    ...(c.hints ? { hints: c.hints } : {}),
  };
}

/** Writes a package with the production writer. */
export function writeTestPackage(file: string, o: TestPackageOptions): BuiltPackage {
  const createdAt = o.createdAt ?? new Date(Date.now() - MINUTE_MS);
  const batchId = o.batchId ?? 'b-AAAAAAAATEST0001';
  const withdraw = new Set(o.withdraw ?? []);
  const clips: PackClip[] = (o.clips ?? defaultClips).map((c) => ({
    details: clipDetails(c, withdraw.has(c.id)),
    audio: c.audio === undefined ? sineWav() : c.audio,
  }));
  const bytes = writePackage(file, {
    batchId,
    createdAt,
    expiresAt: o.expiresAt ?? new Date(createdAt.getTime() + 14 * DAY_MS),
    locale: o.locale ?? 'en-US',
    recipient: o.recipient,
    clips,
  });
  return { file, batchId, clips, bytes };
}

export type RawPackageInput = {
  readonly recipient: KeyObject;
  readonly batchId?: string;
  readonly createdAt?: Date;
  readonly expiresAt?: Date;
  readonly locale?: string;
  /** Each clip's audio is sealed as the writer would; null leaves the header's audio null. */
  readonly clips: readonly { readonly id: string; readonly audio: Buffer | null }[];
  /** The details plaintext, exactly as given: any JSON text (or not JSON at all). */
  readonly details: string | Buffer;
  /** A last edit of the header object before it is serialised. */
  readonly editHeader?: (header: PackageHeader) => unknown;
};

/**
 * Assembles a package from the crypto primitives with arbitrary details plaintext, for the
 * inputs the production writer cannot produce (a negative duration, extra fields, non-JSON).
 */
export function assemblePackage(file: string, input: RawPackageInput): void {
  const batchId = input.batchId ?? 'b-AAAAAAAAARAW0001';
  const createdAt = input.createdAt ?? new Date(Date.now() - MINUTE_MS);
  const batchKey = randomBytes(KEY_BYTES);
  const wrapped = wrapBatchKey(batchKey, input.recipient, batchId);
  const bodies: Buffer[] = [];
  const clips = input.clips.map(({ id, audio }) => {
    if (!audio) {
      return { id, audio: null };
    }
    const s = seal(batchKey, audio, aad('clip', batchId, id));
    bodies.push(s.ciphertext);
    return { id, audio: encodeSealedPart(s) };
  });
  const plainDetails = typeof input.details === 'string' ? Buffer.from(input.details, 'utf8') : input.details;
  const details = seal(batchKey, plainDetails, aad('details', batchId));
  const header: PackageHeader = {
    format: 'earmark-batch',
    version: FORMAT_VERSION,
    batchId,
    createdAt: createdAt.toISOString(),
    expiresAt: (input.expiresAt ?? new Date(createdAt.getTime() + 14 * DAY_MS)).toISOString(),
    locale: input.locale ?? 'en-US',
    recipient: encodeWrappedKey(wrapped),
    details: encodeSealedPart(details),
    clips,
  };
  const edited = input.editHeader ? input.editHeader(header) : header;
  const headerBytes = Buffer.from(JSON.stringify(edited), 'utf8');
  const headerTag = tagOf(batchKey, batchId, Buffer.concat([preambleFor(headerBytes), headerBytes]));
  writeFileSync(file, joinPackage({ headerBytes, headerTag, details: details.ciphertext, bodies }));
}

/** Details JSON for `assemblePackage`, from whole clip entries (which may be anything). */
export const detailsJson = (clips: readonly unknown[]): string => JSON.stringify({ clips });

const b64 = (b: Buffer): string => b.toString('base64');

// ---------------------------------------------------------------------------------------------
// Reading a package apart and putting it back together

export type PackageParts = {
  readonly headerBytes: Buffer;
  /** The tag as packed: after any edit of the header it no longer matches, as for a forger. */
  readonly headerTag: Buffer;
  readonly details: Buffer;
  /** One body per header clip with audio, in header order. */
  readonly bodies: readonly Buffer[];
};

export type ParsedPackage = PackageParts & {
  readonly header: PackageHeader;
  /** Each header clip with audio: where its ciphertext lies in the file. */
  readonly layout: ReadonlyMap<string, { readonly offset: number; readonly size: number; readonly index: number }>;
};

/** Splits a well-formed package file into its parts (trusting its header: test input only). */
export function parsePackage(file: string): ParsedPackage {
  const bytes = readFileSync(file);
  const headerLength = bytes.readUInt32BE(8);
  const headerBytes = bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength);
  const header = JSON.parse(headerBytes.toString('utf8')) as PackageHeader;
  let offset = PREAMBLE_BYTES + headerLength;
  const headerTag = bytes.subarray(offset, offset + HEADER_TAG_BYTES);
  offset += HEADER_TAG_BYTES;
  const details = bytes.subarray(offset, offset + header.details.size);
  offset += header.details.size;
  const bodies: Buffer[] = [];
  const layout = new Map<string, { offset: number; size: number; index: number }>();
  header.clips.forEach((c, index) => {
    if (c.audio) {
      bodies.push(bytes.subarray(offset, offset + c.audio.size));
      layout.set(c.id, { offset, size: c.audio.size, index });
      offset += c.audio.size;
    }
  });
  return { header, headerBytes, headerTag, details, bodies, layout };
}

/** Magic and header length for a header of these bytes. */
function preambleFor(headerBytes: Buffer): Buffer {
  const preamble = Buffer.alloc(PREAMBLE_BYTES);
  preamble.write(PACKAGE_MAGIC, 0, 'latin1');
  preamble.writeUInt32BE(headerBytes.length, 8);
  return preamble;
}

/** Preamble (magic + header length), header, header tag, details, bodies: a package's bytes. */
export function joinPackage(p: PackageParts): Buffer {
  return Buffer.concat([preambleFor(p.headerBytes), p.headerBytes, p.headerTag, p.details, ...p.bodies]);
}

/**
 * Computes the header tag afresh, as only a holder of the batch key could (the test unwraps it
 * with the workstation's key): lets a test reach the checks behind the header tag, such as the
 * associated data that ties each clip's audio to its id and batch.
 */
export function reauthenticateHeader(file: string, device: DeviceKey): void {
  const p = parsePackage(file);
  const batchKey = unwrapBatchKey(decodeWrappedKey(p.header.recipient), device, p.header.batchId);
  const headerTag = tagOf(batchKey, p.header.batchId, Buffer.concat([preambleFor(p.headerBytes), p.headerBytes]));
  batchKey.fill(0);
  writeFileSync(file, joinPackage({ ...p, headerTag }));
}

/**
 * Rewrites a package in the layout of format version 1, as earlier builds packed it: the same
 * header saying version 1, and no header tag.
 */
export function downgradeToVersion1(file: string): void {
  const p = parsePackage(file);
  const headerBytes = Buffer.from(JSON.stringify({ ...p.header, version: 1 }), 'utf8');
  writeFileSync(file, Buffer.concat([preambleFor(headerBytes), headerBytes, p.details, ...p.bodies]));
}

function clipRange(file: string, clipId: string): { offset: number; size: number } {
  const where = parsePackage(file).layout.get(clipId);
  if (!where) {
    throw new Error(`The package has no audio for clip "${clipId}".`);
  }
  return where;
}

// ---------------------------------------------------------------------------------------------
// Tamperers: each edits the package file in place.

/** Flips one bit of the byte at `offset`. */
export function flipBitAt(file: string, offset: number, bit = 0): void {
  const bytes = readFileSync(file);
  const byte = bytes[offset];
  if (byte === undefined) {
    throw new Error(`Offset ${offset} is past the end of the file.`);
  }
  bytes[offset] = byte ^ (1 << bit);
  writeFileSync(file, bytes);
}

/** Flips a bit of a clip's ciphertext, `at` bytes into it. */
export function flipClipCiphertextBit(file: string, clipId: string, at = 0): void {
  const { offset, size } = clipRange(file, clipId);
  if (at >= size) {
    throw new Error(`Clip "${clipId}" has only ${size} ciphertext bytes.`);
  }
  flipBitAt(file, offset + at);
}

/** Re-serialises the header after `edit`, fixing the declared header length. */
export function rewriteHeader(file: string, edit: (header: PackageHeader) => unknown): void {
  rewriteHeaderBytes(file, (bytes) =>
    Buffer.from(JSON.stringify(edit(JSON.parse(bytes.toString('utf8')) as PackageHeader)), 'utf8'),
  );
}

/** Replaces the header's raw bytes, fixing the declared header length; the rest is kept. */
export function rewriteHeaderBytes(file: string, edit: (bytes: Buffer) => Buffer): void {
  const bytes = readFileSync(file);
  const headerLength = bytes.readUInt32BE(8);
  const headerBytes = edit(Buffer.from(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength)));
  const preamble = Buffer.from(bytes.subarray(0, PREAMBLE_BYTES));
  preamble.writeUInt32BE(headerBytes.length, 8);
  writeFileSync(file, Buffer.concat([preamble, headerBytes, bytes.subarray(PREAMBLE_BYTES + headerLength)]));
}

const flipBase64 = (s: string): string => {
  const b = Buffer.from(s, 'base64');
  b[0] = (b[0] ?? 0) ^ 0x01;
  return b64(b);
};

/** Flips a bit of a clip's IV or tag as the header records it. */
export function flipClipHeaderBit(file: string, clipId: string, field: 'iv' | 'tag'): void {
  rewriteHeader(file, (h) => ({
    ...h,
    clips: h.clips.map((c) =>
      c.id === clipId && c.audio ? { ...c, audio: { ...c.audio, [field]: flipBase64(c.audio[field]) } } : c,
    ),
  }));
}

/** Shortens a clip's tag (as recorded in the header) to `bytes` bytes. */
export function shortenClipTag(file: string, clipId: string, bytes: number): void {
  rewriteHeader(file, (h) => ({
    ...h,
    clips: h.clips.map((c) =>
      c.id === clipId && c.audio
        ? { ...c, audio: { ...c.audio, tag: b64(Buffer.from(c.audio.tag, 'base64').subarray(0, bytes)) } }
        : c,
    ),
  }));
}

/** Cuts `bytes` bytes off the end. */
export function truncatePackage(file: string, bytes: number): void {
  const all = readFileSync(file);
  writeFileSync(file, all.subarray(0, all.length - bytes));
}

/** Appends `extra` after the last clip. */
export function appendToPackage(file: string, extra: Buffer): void {
  writeFileSync(file, Buffer.concat([readFileSync(file), extra]));
}

/** Overwrites the 8 magic bytes. */
export function setMagic(file: string, magic: string): void {
  const bytes = readFileSync(file);
  bytes.write(magic.padEnd(8, '\0').slice(0, 8), 0, 'latin1');
  writeFileSync(file, bytes);
}

/** Overwrites the declared header length without touching anything else. */
export function setDeclaredHeaderLength(file: string, length: number): void {
  const bytes = readFileSync(file);
  bytes.writeUInt32BE(length, 8);
  writeFileSync(file, bytes);
}

/**
 * Swaps two clips' sealed audio wholesale — ciphertext, IV, tag and size — so each id now
 * carries the other's genuine, untouched ciphertext. The header tag refuses it; behind a re-made
 * tag only the associated data can tell.
 */
export function swapClips(file: string, a: string, b: string): void {
  const p = parsePackage(file);
  const ia = p.layout.get(a)?.index;
  const ib = p.layout.get(b)?.index;
  const ca = ia === undefined ? undefined : p.header.clips[ia];
  const cb = ib === undefined ? undefined : p.header.clips[ib];
  if (!ca?.audio || !cb?.audio) {
    throw new Error(`Both "${a}" and "${b}" need audio to be swapped.`);
  }
  const clips = p.header.clips.map((c) =>
    c.id === a ? { ...c, audio: cb.audio } : c.id === b ? { ...c, audio: ca.audio } : c,
  );
  const bodyOf = new Map(p.header.clips.filter((c) => c.audio).map((c, i) => [c.id, p.bodies[i] as Buffer]));
  const bodies = clips
    .filter((c) => c.audio)
    .map((c) => (c.id === a ? bodyOf.get(b) : c.id === b ? bodyOf.get(a) : bodyOf.get(c.id)) as Buffer);
  const headerBytes = Buffer.from(JSON.stringify({ ...p.header, clips }), 'utf8');
  writeFileSync(file, joinPackage({ headerBytes, headerTag: p.headerTag, details: p.details, bodies }));
}

/**
 * Cuts `bytes` off the end of a clip's ciphertext and shrinks its declared size to match, so the
 * package is well-formed and only the clip itself is short.
 */
export function truncateClip(file: string, clipId: string, bytes: number): void {
  const p = parsePackage(file);
  const where = p.layout.get(clipId);
  if (!where || where.size <= bytes) {
    throw new Error(`Clip "${clipId}" has no ${bytes + 1} bytes of ciphertext to cut.`);
  }
  const clips = p.header.clips.map((c) =>
    c.id === clipId && c.audio ? { ...c, audio: { ...c.audio, size: c.audio.size - bytes } } : c,
  );
  // Bodies are in layout order, one per clip with audio.
  const at = [...p.layout.keys()].indexOf(clipId);
  const bodies = p.bodies.map((b, i) => (i === at ? b.subarray(0, b.length - bytes) : b));
  writeFileSync(
    file,
    joinPackage({ ...p, headerBytes: Buffer.from(JSON.stringify({ ...p.header, clips }), 'utf8'), bodies }),
  );
}

/**
 * Replaces clip `clipId` of package `to` with the same-named clip's genuine sealed audio from
 * package `from` (another batch for the same workstation). The header tag refuses it; behind a
 * re-made tag only the batch id in the associated data tells them apart.
 */
export function transplantClip(from: string, to: string, clipId: string): void {
  const source = parsePackage(from);
  const target = parsePackage(to);
  const donor = source.header.clips.find((c) => c.id === clipId)?.audio;
  if (!donor || !target.layout.has(clipId)) {
    throw new Error(`Both packages need audio for clip "${clipId}".`);
  }
  const body = source.bodies[[...source.layout.keys()].indexOf(clipId)] as Buffer;
  const clips = target.header.clips.map((c) => (c.id === clipId ? { ...c, audio: donor } : c));
  const bodies = [...target.layout.keys()].map((id, i) => (id === clipId ? body : (target.bodies[i] as Buffer)));
  writeFileSync(
    to,
    joinPackage({ ...target, headerBytes: Buffer.from(JSON.stringify({ ...target.header, clips }), 'utf8'), bodies }),
  );
}
