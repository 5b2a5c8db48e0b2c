/**
 * Reads just enough of an audio file to know its codec and length, and refuses what is not
 * Ogg Opus, WAV or FLAC with a message that says what it looks like instead.
 */
import type { Codec } from '../../shared/batch-package/manifest';
import { MAX_CLIP_DURATION_MS } from '../../shared/batch-package/limits';

export type AudioInfo = {
  readonly codec: Codec;
  readonly durationMs: number;
  readonly sampleRate: number;
  readonly channels: number;
};

export class AudioProbeError extends Error {
  override readonly name = 'AudioProbeError';
}

const ascii = (b: Uint8Array, start: number, length: number): string =>
  Buffer.from(b.buffer, b.byteOffset + start, Math.max(0, Math.min(length, b.length - start))).toString('latin1');

function checkDuration(ms: number, codec: string): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new AudioProbeError(`The ${codec} header gives no usable length.`);
  }
  if (ms > MAX_CLIP_DURATION_MS) {
    throw new AudioProbeError(
      `The ${codec} header claims ${(ms / 3_600_000).toFixed(1)} hours of audio; clips are at most ${MAX_CLIP_DURATION_MS / 60_000} minutes.`,
    );
  }
  return Math.round(ms);
}

function probeWav(b: Buffer): AudioInfo {
  let pos = 12;
  let fmt: { channels: number; sampleRate: number; byteRate: number } | undefined;
  while (pos + 8 <= b.length) {
    const id = ascii(b, pos, 4);
    const size = b.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > b.length) {
        throw new AudioProbeError('The WAV "fmt " chunk is truncated.');
      }
      fmt = {
        channels: b.readUInt16LE(body + 2),
        sampleRate: b.readUInt32LE(body + 4),
        byteRate: b.readUInt32LE(body + 8),
      };
      if (fmt.sampleRate === 0 || fmt.byteRate === 0 || fmt.channels === 0) {
        throw new AudioProbeError(
          `The WAV header gives a sample rate of ${fmt.sampleRate}, ${fmt.channels} channels and ${fmt.byteRate} bytes per second.`,
        );
      }
    } else if (id === 'data') {
      if (!fmt) {
        throw new AudioProbeError('The WAV file has audio data before its "fmt " chunk.');
      }
      // A header may claim more data than the file holds; only the bytes present can play.
      const present = Math.min(size, b.length - body);
      return {
        codec: 'wav',
        durationMs: checkDuration((present / fmt.byteRate) * 1000, 'WAV'),
        sampleRate: fmt.sampleRate,
        channels: fmt.channels,
      };
    }
    pos = body + size + (size % 2);
  }
  throw new AudioProbeError('The WAV file has no "data" chunk.');
}

function probeOpus(b: Buffer): AudioInfo {
  // First page: header 27 bytes + segment table, then the OpusHead packet.
  if (b.length < 28) {
    throw new AudioProbeError('The Ogg file is truncated.');
  }
  if (b[4] !== 0) {
    // Version 0 is the only one the Ogg format defines.
    throw new AudioProbeError(`The Ogg file claims format version ${b[4]}; only version 0 exists.`);
  }
  const segments = b[26] ?? 0;
  const head = 27 + segments;
  if (ascii(b, head, 8) !== 'OpusHead' || head + 19 > b.length) {
    throw new AudioProbeError('The Ogg file does not carry Opus audio (no OpusHead).');
  }
  const channels = b[head + 9] ?? 0;
  const preSkip = b.readUInt16LE(head + 10);
  const inputRate = b.readUInt32LE(head + 12);
  if (channels === 0) {
    throw new AudioProbeError('The Opus header gives 0 channels.');
  }
  // The last page's granule position counts 48 kHz samples from the start.
  const last = b.lastIndexOf('OggS', b.length - 27, 'latin1');
  if (last < 0 || last + 14 > b.length) {
    throw new AudioProbeError('The Ogg file has no final page.');
  }
  const granule = b.readBigInt64LE(last + 6);
  if (granule < 0n) {
    throw new AudioProbeError('The Ogg file ends without a valid granule position.');
  }
  const samples = Number(granule) - preSkip;
  return {
    codec: 'opus',
    durationMs: checkDuration((Math.max(0, samples) / 48_000) * 1000, 'Opus'),
    sampleRate: inputRate || 48_000,
    channels,
  };
}

function probeFlac(b: Buffer): AudioInfo {
  // STREAMINFO is the first metadata block: 4-byte block header, then 34 bytes.
  if (b.length < 8 + 18) {
    throw new AudioProbeError('The FLAC file is truncated.');
  }
  // The block header: last-block flag and type 0 (STREAMINFO) in one byte, then its length.
  if (((b[4] ?? 0) & 0x7f) !== 0 || b.readUIntBE(5, 3) !== 34) {
    throw new AudioProbeError('The FLAC file does not start with its STREAMINFO block.');
  }
  const info = 8;
  const sampleRate = ((b[info + 10] ?? 0) << 12) | ((b[info + 11] ?? 0) << 4) | ((b[info + 12] ?? 0) >> 4);
  const channels = (((b[info + 12] ?? 0) >> 1) & 0x07) + 1;
  const total = (BigInt((b[info + 13] ?? 0) & 0x0f) << 32n) | BigInt(b.readUInt32BE(info + 14));
  if (sampleRate === 0) {
    throw new AudioProbeError('The FLAC header gives a sample rate of 0.');
  }
  return {
    codec: 'flac',
    durationMs: checkDuration((Number(total) / sampleRate) * 1000, 'FLAC'),
    sampleRate,
    channels,
  };
}

/** Identifies the codec and length of an audio file held in memory. */
export function probeAudio(bytes: Uint8Array): AudioInfo {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE') {
    return probeWav(b);
  }
  if (ascii(b, 0, 4) === 'OggS') {
    return probeOpus(b);
  }
  if (ascii(b, 0, 4) === 'fLaC') {
    return probeFlac(b);
  }
  const start = ascii(b, 0, 64).trimStart().toLowerCase();
  if (start.startsWith('<')) {
    throw new AudioProbeError('This is HTML or XML, not audio.');
  }
  if (ascii(b, 0, 4) === '\x7fELF' || ascii(b, 0, 2) === 'MZ') {
    throw new AudioProbeError('This is a program, not audio.');
  }
  if (ascii(b, 0, 3) === 'ID3') {
    throw new AudioProbeError('MP3 is not accepted; use Ogg Opus, WAV or FLAC.');
  }
  throw new AudioProbeError('This is not Ogg Opus, WAV or FLAC audio.');
}
