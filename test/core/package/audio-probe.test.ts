import { describe, expect, it } from 'vitest';
import { AudioProbeError, probeAudio } from '../../../core/package/audio-probe';
import { elfBytes, htmlBytes, silenceFlac, silenceOpus, silenceWav, sineWav, wavFromPcm } from '../../support/packages';

describe('audio probe', () => {
  it('reads a WAV tone: codec, length, rate and channels', () => {
    expect(probeAudio(sineWav({ durationMs: 500, sampleRate: 16_000, channels: 2 }))).toEqual({
      codec: 'wav',
      durationMs: 500,
      sampleRate: 16_000,
      channels: 2,
    });
  });

  it('reads pure digital silence as ordinary WAV audio', () => {
    expect(probeAudio(silenceWav(250))).toMatchObject({ codec: 'wav', durationMs: 250 });
  });

  it('reads a FLAC stream from its STREAMINFO', () => {
    expect(probeAudio(silenceFlac(400))).toEqual({ codec: 'flac', durationMs: 400, sampleRate: 8_000, channels: 1 });
  });

  it('reads an Ogg Opus stream from its last granule position less the pre-skip', () => {
    expect(probeAudio(silenceOpus(300))).toEqual({ codec: 'opus', durationMs: 300, sampleRate: 48_000, channels: 1 });
  });

  it('counts only the WAV bytes present when the header claims more', () => {
    const wav = sineWav({ durationMs: 1000 });
    wav.writeUInt32LE(0x7fff_ffff, 40);
    expect(probeAudio(wav).durationMs).toBe(1000);
  });

  it('refuses a WAV header that claims a zero sample rate', () => {
    const wav = sineWav();
    wav.writeUInt32LE(0, 24);
    expect(() => probeAudio(wav)).toThrow(/sample rate of 0/);
  });

  it('refuses a WAV without a data chunk', () => {
    expect(() => probeAudio(sineWav().subarray(0, 36))).toThrow(/no "data" chunk/);
  });

  it('refuses audio longer than a clip may be', () => {
    const pcm = Buffer.alloc(8_000 * 2 * 601);
    expect(() => probeAudio(wavFromPcm(pcm))).toThrow(/clips are at most 10 minutes/);
  });

  it('says a web page is HTML, not audio', () => {
    expect(() => probeAudio(htmlBytes())).toThrow(AudioProbeError);
    expect(() => probeAudio(htmlBytes())).toThrow(/HTML or XML, not audio/);
  });

  it('says an executable is a program, not audio', () => {
    expect(() => probeAudio(elfBytes())).toThrow(/a program, not audio/);
    expect(() => probeAudio(Buffer.from('MZ\x90\x00', 'latin1'))).toThrow(/a program, not audio/);
  });

  it('refuses MP3 by name', () => {
    expect(() => probeAudio(Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'))).toThrow(/MP3 is not accepted/);
  });

  it('refuses Ogg that is not Opus', () => {
    const ogg = silenceOpus();
    ogg.write('OpusHeaX', 28, 'latin1');
    expect(() => probeAudio(ogg)).toThrow(/does not carry Opus/);
  });
});
