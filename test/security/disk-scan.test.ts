/**
 * The scanner every "nothing readable on disk" check relies on: it finds a plaintext clip of
 * each accepted format wherever it sits in a file, and a magic number alone (which random
 * ciphertext holds now and then) is not reported as audio.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeAudio } from '../../core/package/audio-probe';
import { MAX_CLIP_BYTES } from '../../shared/batch-package/limits';
import { audioMagic, scan } from '../support/disk-scan';
import { patternWav, silenceFlac } from '../support/packages';
import { makeTempDir } from '../support/temp-dir';

const demoClips = join(__dirname, '../../resources/demo/clips');

describe('disk scan: audio signatures', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('earmark-scan-');
  });
  afterEach(() => dir.remove());

  const scanBytes = (bytes: Buffer): string[] => {
    const file = join(dir.dir, 'f.bin');
    writeFileSync(file, bytes);
    return scan([file], audioMagic).map((hit) => hit.slice(file.length + 2));
  };
  const amid = (clip: Buffer): Buffer => Buffer.concat([randomBytes(4097), clip, randomBytes(333)]);

  it('finds a WAV, a FLAC and an Ogg Opus clip inside other bytes, each by its own signature', () => {
    const opus = readFileSync(join(demoClips, readdirSync(demoClips).find((n) => n.endsWith('.opus')) ?? ''));
    expect(scanBytes(amid(patternWav(randomBytes(32), 4)))).toEqual(['RIFF']);
    expect(scanBytes(amid(silenceFlac()))).toEqual(['fLaC']);
    expect(scanBytes(amid(opus))).toEqual(['OggS']);
    // A clip's true RIFF length is under 16 MiB: its top byte is zero, never a printable one.
    expect(MAX_CLIP_BYTES).toBeLessThan(2 ** 24);
  });

  it('finds a WAV whose lengths are the placeholders a streaming encoder leaves', () => {
    // ffmpeg writing WAV to a pipe cannot go back to fill in the lengths: RIFF and data stay
    // 0xFFFFFFFF. The import's probe reads no RIFF length and plays the bytes present, so such a
    // clip is taken, and its plaintext on disk must be found like any other.
    const wav = Buffer.from(patternWav(randomBytes(32), 4));
    wav.writeUInt32LE(0xffffffff, 4);
    wav.writeUInt32LE(0xffffffff, wav.indexOf('data', 12, 'latin1') + 4);
    expect(probeAudio(wav).codec).toBe('wav');
    expect(scanBytes(amid(wav))).toEqual(['RIFF']);
  });

  it('does not take a magic number without the header bytes that follow it for audio', () => {
    const wav = patternWav(randomBytes(32), 4);
    const flac = silenceFlac();
    const broken = [
      Buffer.concat([wav.subarray(0, 8), Buffer.from('WA\x00E', 'latin1'), wav.subarray(12)]),
      Buffer.concat([flac.subarray(0, 5), Buffer.from([0, 0, 0x21]), flac.subarray(8)]),
      Buffer.from('OggS\x01', 'latin1'),
      Buffer.from('RIFF', 'latin1'),
      Buffer.from('fLaC', 'latin1'),
    ];
    for (const bytes of broken) {
      expect(scanBytes(amid(bytes))).toEqual([]);
    }
    // Stored base64 (a wrapped key, a sealed settings row) can spell "RIFF" and go on printable.
    expect(scanBytes(amid(Buffer.from('{"sealed":"nXCgRIFFwya+ywKKy+L8"}', 'latin1')))).toEqual([]);
    // A near miss before the real header does not hide it.
    expect(scanBytes(Buffer.concat([Buffer.from('RIFF....WA\x00E', 'latin1'), wav]))).toEqual(['RIFF']);
    // Any RIFF form is found, not only WAVE: a RIFF file posing as a clip must not be left either.
    expect(
      scanBytes(amid(Buffer.concat([wav.subarray(0, 8), Buffer.from('AVI ', 'latin1'), wav.subarray(12)]))),
    ).toEqual(['RIFF']);
  });
});
