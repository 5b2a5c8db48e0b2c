/**
 * Hostile audio, correctly encrypted by the packer: bad WAV, Ogg and FLAC headers, a zero sample
 * rate, lengths of ten hours, web pages and programs posing as clips. Each such clip is
 * quarantined with a reason that says what is wrong, and the rest of its batch stays usable.
 * Pure silence is ordinary audio and must stay reviewable from import to submit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Codec } from '../../../shared/batch-package/manifest';
import { textNeedles } from '../../support/disk-scan';
import {
  elfBytes,
  silenceFlac,
  silenceOpus,
  silenceWav,
  sineWav,
  wavFromPcm,
  writeTestPackage,
} from '../../support/packages';
import { expectImportQuarantines, makeCanary, makeHostileEnv, type HostileEnv } from './hostile-env';

const TEN_HOURS_S = 10 * 3600;

/** A copy of `b` with `edit` applied. */
const edited = (b: Buffer, edit: (copy: Buffer) => void): Buffer => {
  const copy = Buffer.from(b);
  edit(copy);
  return copy;
};

/** Where the last Ogg page's granule position lies. */
const lastGranule = (ogg: Buffer): number => ogg.lastIndexOf('OggS', ogg.length - 27, 'latin1') + 6;

function wavDataBeforeFmt(): Buffer {
  const wav = sineWav();
  // RIFF header, then the data chunk, then the fmt chunk.
  return Buffer.concat([wav.subarray(0, 12), wav.subarray(36), wav.subarray(12, 36)]);
}

type AudioCase = {
  readonly name: string;
  readonly audio: () => Buffer;
  readonly codec?: Codec;
  readonly durationMs?: number;
  readonly reason: string;
};

const cases: readonly AudioCase[] = [
  {
    name: 'a WAV without a data chunk',
    audio: () => sineWav().subarray(0, 36),
    reason: 'The WAV file has no "data" chunk.',
  },
  {
    name: 'a WAV whose fmt chunk is cut short',
    audio: () => sineWav().subarray(0, 30),
    reason: 'The WAV "fmt " chunk is truncated.',
  },
  {
    name: 'a WAV with its data before its format',
    audio: wavDataBeforeFmt,
    reason: 'The WAV file has audio data before its "fmt " chunk.',
  },
  {
    name: 'a WAV with a zero sample rate',
    audio: () => edited(sineWav(), (b) => b.writeUInt32LE(0, 24)),
    reason: 'The WAV header gives a sample rate of 0, 1 channels and 16000 bytes per second.',
  },
  {
    name: 'a WAV with zero channels',
    audio: () => edited(sineWav(), (b) => b.writeUInt16LE(0, 22)),
    reason: 'The WAV header gives a sample rate of 8000, 0 channels and 16000 bytes per second.',
  },
  {
    name: 'a RIFF file that is not WAVE',
    audio: () => edited(sineWav(), (b) => b.write('AVI ', 8, 'latin1')),
    reason: 'This is not Ogg Opus, WAV or FLAC audio.',
  },
  {
    name: 'an Ogg stream that is not Opus',
    audio: () => edited(silenceOpus(), (b) => b.write('OpusHeaX', 28, 'latin1')),
    codec: 'opus',
    reason: 'The Ogg file does not carry Opus audio (no OpusHead).',
  },
  {
    name: 'an Ogg stream cut to its first bytes',
    audio: () => silenceOpus().subarray(0, 20),
    codec: 'opus',
    reason: 'The Ogg file is truncated.',
  },
  {
    name: 'an Opus header with zero channels',
    audio: () => edited(silenceOpus(), (b) => b.writeUInt8(0, 28 + 9)),
    codec: 'opus',
    reason: 'The Opus header gives 0 channels.',
  },
  {
    name: 'an Ogg stream ending on a negative granule',
    audio: () => edited(silenceOpus(), (b) => b.writeBigInt64LE(-1n, lastGranule(b))),
    codec: 'opus',
    reason: 'The Ogg file ends without a valid granule position.',
  },
  {
    name: 'a FLAC stream with a zero sample rate',
    audio: () => edited(silenceFlac(), (b) => b.fill(0, 18, 21)),
    codec: 'flac',
    reason: 'The FLAC header gives a sample rate of 0.',
  },
  {
    name: 'an Ogg stream of a format version that does not exist',
    audio: () => edited(silenceOpus(), (b) => b.writeUInt8(1, 4)),
    codec: 'opus',
    reason: 'The Ogg file claims format version 1; only version 0 exists.',
  },
  {
    name: 'a FLAC stream whose first block is not STREAMINFO',
    audio: () => edited(silenceFlac(), (b) => b.writeUInt8(0x84, 4)),
    codec: 'flac',
    reason: 'The FLAC file does not start with its STREAMINFO block.',
  },
  {
    name: 'a FLAC stream cut inside its header',
    audio: () => silenceFlac().subarray(0, 20),
    codec: 'flac',
    reason: 'The FLAC file is truncated.',
  },
  {
    name: 'an Opus stream claiming ten hours',
    audio: () => edited(silenceOpus(), (b) => b.writeBigInt64LE(BigInt(312 + TEN_HOURS_S * 48_000), lastGranule(b))),
    codec: 'opus',
    reason: 'The Opus header claims 10.0 hours of audio; clips are at most 10 minutes.',
  },
  {
    name: 'a FLAC stream claiming ten hours',
    audio: () => edited(silenceFlac(), (b) => b.writeUInt32BE(TEN_HOURS_S * 8_000, 8 + 14)),
    codec: 'flac',
    reason: 'The FLAC header claims 10.0 hours of audio; clips are at most 10 minutes.',
  },
  {
    // 100 samples a second fit ten real hours into 7.2 MB, under the 8 MiB clip cap.
    name: 'a WAV that really lasts ten hours',
    audio: () => wavFromPcm(Buffer.alloc(TEN_HOURS_S * 200), { sampleRate: 100 }),
    reason: 'The WAV header claims 10.0 hours of audio; clips are at most 10 minutes.',
  },
  {
    name: 'a manifest claiming ten minutes for 300 ms',
    audio: () => sineWav(),
    durationMs: 600_000,
    reason: 'The manifest says 600000 ms, but the audio lasts 300 ms.',
  },
  { name: 'FLAC declared as WAV', audio: () => silenceFlac(), reason: 'The audio is flac, but the manifest says wav.' },
  { name: 'an ELF program', audio: elfBytes, reason: 'This is a program, not audio.' },
  {
    name: 'a Windows program',
    audio: () => Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(252)]),
    reason: 'This is a program, not audio.',
  },
  {
    name: 'an SVG image',
    audio: () => Buffer.from('<?xml version="1.0"?><svg onload="alert(1)"/>'),
    reason: 'This is HTML or XML, not audio.',
  },
  {
    name: 'an MP3 file',
    audio: () => Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'),
    reason: 'MP3 is not accepted; use Ogg Opus, WAV or FLAC.',
  },
  { name: 'a single byte', audio: () => Buffer.from([0x52]), reason: 'This is not Ogg Opus, WAV or FLAC audio.' },
];

describe('hostile audio', () => {
  let env: HostileEnv;
  beforeEach(() => {
    env = makeHostileEnv();
  });
  afterEach(() => env.dispose());

  it.each(cases)('quarantines $name, saying so', async ({ audio, codec, durationMs, reason }) => {
    const canary = makeCanary('audio');
    const file = env.input('audio.earmark');
    writeTestPackage(file, {
      recipient: env.recipient(),
      clips: [
        {
          id: 'c-AAAAAAAAAAAAABAD',
          audio: audio(),
          codec: codec ?? 'wav',
          durationMs: durationMs ?? 300,
          asrText: canary.text,
        },
        { id: 'c-AAAAAAAAAAAAF1NE' },
      ],
    });
    await expectImportQuarantines(env, file, { 'c-AAAAAAAAAAAAABAD': reason }, canary.needles);
  });

  it('quarantines a web page posing as a clip and keeps its text off the disk', async () => {
    const canary = makeCanary('html');
    const page = Buffer.from(
      `\n  <!DOCTYPE html><html><body><p>${canary.text}</p><script>alert(1)</script></body></html>`,
    );
    const file = env.input('page.earmark');
    writeTestPackage(file, {
      recipient: env.recipient(),
      clips: [{ id: 'c-AAAAAAAAAAAAPAGE', audio: page }, { id: 'c-AAAAAAAAAAAAF1NE' }],
    });
    await expectImportQuarantines(
      env,
      file,
      { 'c-AAAAAAAAAAAAPAGE': 'This is HTML or XML, not audio.' },
      canary.needles,
    );
  });

  it('plays only the bytes a WAV holds when its header claims ten hours', async () => {
    const wav = edited(sineWav({ durationMs: 300 }), (b) => b.writeUInt32LE(TEN_HOURS_S * 16_000, 40));
    const file = env.input('claim.earmark');
    writeTestPackage(file, {
      recipient: env.recipient(),
      batchId: 'b-AAAAAAAAAAAC1A1M',
      clips: [{ id: 'c-AAAAAAAAAAAC1A1M', audio: wav, durationMs: 300 }],
    });
    expect(env.services.vault.importPackage(file)).toMatchObject({ imported: 1, quarantined: [] });
    expect(env.services.vault.listClips('b-AAAAAAAAAAAC1A1M')).toEqual([
      { id: 'c-AAAAAAAAAAAC1A1M', ordinal: 0, state: 'ready', reason: null, durationMs: 300 },
    ]);
    await env.expectSurvived();
  });

  it.each<[string, Buffer, Codec]>([
    ['WAV', silenceWav(400), 'wav'],
    ['Ogg Opus', silenceOpus(400), 'opus'],
    ['FLAC', silenceFlac(400), 'flac'],
  ])('keeps pure %s silence reviewable: imported, opened, drafted and submitted', async (_name, silence, codec) => {
    const file = env.input('silence.earmark');
    const asrText = `[silence] ${makeCanary('silence').text}`;
    writeTestPackage(file, {
      recipient: env.recipient(),
      batchId: 'b-AAAAAAAAAS11ENCE',
      clips: [{ id: 'c-AAAAAAAAAAAQV1ET', audio: silence, codec, durationMs: 400, asrText }],
    });
    expect(env.services.vault.importPackage(file)).toEqual({
      batchId: 'b-AAAAAAAAAS11ENCE',
      imported: 1,
      quarantined: [],
      withdrawn: [],
    });
    const ref = { batchId: 'b-AAAAAAAAAS11ENCE', clipId: 'c-AAAAAAAAAAAQV1ET' };
    const opened = await env.invoke('clips:open', ref);
    expect(opened).toMatchObject({ ok: true, value: { codec, durationMs: 400, asrText } });
    expect(opened.ok && Buffer.from((opened.value as { audio: Uint8Array }).audio).equals(silence)).toBe(true);
    const body = { transcript: '', critical: [], entities: [] };
    expect(
      await env.invoke('annotations:saveDraft', { ...ref, basedOnRevision: 0, body, disposition: 'noise_only' }),
    ).toMatchObject({ ok: true });
    expect(
      await env.invoke('annotations:submit', { ...ref, basedOnRevision: 0, body, disposition: 'noise_only' }),
    ).toMatchObject({
      ok: true,
      value: { revision: 1, disposition: 'noise_only', transcript: '' },
    });
    expect(await env.invoke('review:state', { batchId: 'b-AAAAAAAAAS11ENCE' })).toMatchObject({
      ok: true,
      value: { submitted: [expect.objectContaining({ clipId: 'c-AAAAAAAAAAAQV1ET' })] },
    });
    await env.expectSurvived();
    env.expectNothingReadable(textNeedles('silence hypothesis', asrText));
  });
});
