import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEADER_TAG_BYTES, PACKAGE_MAGIC, PREAMBLE_BYTES } from '../../../shared/batch-package/limits';
import { generateDeviceKey } from '../../../core/crypto/device-key';
import { inspectPackage, readPackage } from '../../../core/package/package-reader';
import { probeAudio } from '../../../core/package/audio-probe';
import { packPackage, writePackage } from '../../../core/package/package-writer';
import { parsePackage, patternWav, reauthenticateHeader, sineWav, writeTestPackage } from '../../support/packages';
import { rawPackage } from '../../support/gold';
import { makeTempDir } from '../../support/temp-dir';

describe('package writer', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  const device = generateDeviceKey();
  beforeEach(() => {
    tmp = makeTempDir('earmark-pkg-');
  });
  afterEach(() => tmp.remove());

  it('writes magic, header length, header, header tag, details and one body per clip, and nothing else', () => {
    const file = join(tmp.dir, 'b.earmark');
    const built = writeTestPackage(file, { recipient: device.publicKey });
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(built.bytes);
    expect(bytes.toString('latin1', 0, 8)).toBe(PACKAGE_MAGIC);
    const p = parsePackage(file);
    expect(bytes.readUInt32BE(8)).toBe(p.headerBytes.length);
    expect(p.headerTag.length).toBe(HEADER_TAG_BYTES);
    const described =
      PREAMBLE_BYTES +
      p.headerBytes.length +
      HEADER_TAG_BYTES +
      p.details.length +
      p.bodies.reduce((n, b) => n + b.length, 0);
    expect(described).toBe(bytes.length);
    expect(inspectPackage(file)).toMatchObject({ fileSize: bytes.length, describedSize: bytes.length });
    expect(p.header.recipient.keyId).toBe(device.keyId);
    expect(readdirSync(tmp.dir)).toEqual(['b.earmark']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('packs in memory the same package it writes to a file', () => {
    const audio = sineWav();
    const input = {
      batchId: 'b-AAAAAAAAAMEMRY01',
      createdAt: new Date(Date.now() - 60_000),
      expiresAt: new Date(Date.now() + 86_400_000),
      locale: 'en-US',
      recipient: device.publicKey,
      clips: [
        {
          details: {
            id: 'c-AAAAAAAAAAAMEMRY',
            durationMs: probeAudio(audio).durationMs,
            codec: probeAudio(audio).codec,
            asrText: 'in memory',
            consent: 'granted' as const,
          },
          audio,
        },
      ],
    };
    const bytes = packPackage(input);
    const listed: string[] = [];
    readPackage(
      bytes,
      { device, now: Date.now() },
      { onClip: (o) => listed.push(`${o.kind} ${o.details.id}`) },
    ).batchKey.fill(0);
    expect(listed).toEqual(['ok c-AAAAAAAAAAAMEMRY']);
    const file = join(tmp.dir, 'same.earmark');
    expect(writePackage(file, input)).toBe(bytes.length);
    expect(readFileSync(file).subarray(0, PREAMBLE_BYTES)).toEqual(bytes.subarray(0, PREAMBLE_BYTES));
  });

  it('never writes through a link planted under the temporary name it once used', () => {
    const file = join(tmp.dir, 'b.earmark');
    const victim = join(tmp.dir, 'victim.txt');
    writeFileSync(victim, 'not a package');
    symlinkSync(victim, `${file}.partial`);
    writeTestPackage(file, { recipient: device.publicKey });
    expect(readFileSync(victim, 'utf8')).toBe('not a package');
    expect(lstatSync(`${file}.partial`).isSymbolicLink()).toBe(true);
    const bytes = readFileSync(file);
    expect(inspectPackage(file)).toMatchObject({ fileSize: bytes.length, describedSize: bytes.length });
  });

  it('writes format version 2 with a header tag over the exact preamble and header bytes, keyed by the batch key', () => {
    const file = join(tmp.dir, 'b.earmark');
    writeTestPackage(file, { recipient: device.publicKey });
    const written = readFileSync(file);
    expect(parsePackage(file).header.version).toBe(2);
    reauthenticateHeader(file, device);
    expect(readFileSync(file).equals(written)).toBe(true);
  });

  it('keeps what was said out of the readable header and out of the file in the clear', () => {
    const file = join(tmp.dir, 'b.earmark');
    const pattern = randomBytes(32);
    writeTestPackage(file, {
      recipient: device.publicKey,
      clips: [
        {
          id: 'c-AAAAAAAAAAAAAAA1',
          audio: patternWav(pattern, 64),
          asrText: 'call my sister on her mobile',
          hints: { domain: 'telephony' },
        },
      ],
    });
    const bytes = readFileSync(file);
    expect(bytes.includes('call my sister')).toBe(false);
    expect(bytes.includes('telephony')).toBe(false);
    expect(bytes.includes('RIFF')).toBe(false);
    expect(bytes.includes(pattern)).toBe(false);
    expect(Object.keys(parsePackage(file).header.clips[0] ?? {})).toEqual(['id', 'audio']);
  });

  it('never writes the audio of a clip whose consent was withdrawn', () => {
    const file = join(tmp.dir, 'b.earmark');
    const withdrawnAudio = patternWav(randomBytes(32), 4096);
    const kept = sineWav();
    const built = writeTestPackage(file, {
      recipient: device.publicKey,
      clips: [
        { id: 'c-AAAAAAAAAAAAKEPT', audio: kept },
        { id: 'c-AAAAAAAAAAAAG0NE', audio: withdrawnAudio },
      ],
      withdraw: ['c-AAAAAAAAAAAAG0NE'],
    });
    const p = parsePackage(file);
    expect(p.header.clips.map((c) => [c.id, c.audio === null])).toEqual([
      ['c-AAAAAAAAAAAAKEPT', false],
      ['c-AAAAAAAAAAAAG0NE', true],
    ]);
    expect(p.bodies).toHaveLength(1);
    expect(p.bodies[0]?.length).toBe(kept.length);
    expect(built.bytes).toBeLessThan(withdrawnAudio.length);
    expect(built.bytes).toBe(PREAMBLE_BYTES + p.headerBytes.length + HEADER_TAG_BYTES + p.details.length + kept.length);
  });

  it('keeps of a withdrawn clip only its id and consent mark, even when handed its full details', () => {
    const file = join(tmp.dir, 'b.earmark');
    writeTestPackage(file, {
      recipient: device.publicKey,
      clips: [
        { id: 'c-AAAAAAAAAAAAKEPT', asrText: 'kept words' },
        { id: 'c-AAAAAAAAAAAAG0NE', asrText: 'words of someone who withdrew', hints: { domain: 'telephony' } },
      ],
      withdraw: ['c-AAAAAAAAAAAAG0NE'],
    });
    const listed: unknown[] = [];
    readPackage(file, { device, now: Date.now() }, { onClip: (o) => listed.push([o.kind, o.details]) }).batchKey.fill(
      0,
    );
    expect(listed[1]).toEqual(['withdrawn', { id: 'c-AAAAAAAAAAAAG0NE', consent: 'withdrawn' }]);
    expect((listed[0] as [string, { asrText: string }])[1].asrText).toBe('kept words');
  });

  it('writes every clip’s details in one key order, however the caller ordered them', () => {
    const file = join(tmp.dir, 'b.earmark');
    const audio = sineWav();
    writePackage(file, {
      batchId: 'b-AAAAAAAAAAAA0001',
      createdAt: new Date(Date.now() - 60_000),
      expiresAt: new Date(Date.now() + 86_400_000),
      locale: 'en-US',
      recipient: device.publicKey,
      clips: [
        {
          details: { id: 'c-AAAAAAAAAAAA0001', asrText: 'a', consent: 'granted', durationMs: 500, codec: 'wav' },
          audio,
        },
        {
          details: {
            hints: { wakeWordDetected: true, domain: 'music' },
            codec: 'wav',
            consent: 'granted',
            durationMs: 500,
            asrText: 'b',
            id: 'c-AAAAAAAAAAAA0002',
          },
          audio,
        },
      ],
    });
    const raw = rawPackage(readFileSync(file), device, Date.now());
    const keys = (raw.details as { clips: Record<string, unknown>[] }).clips.map((c) => Object.keys(c));
    expect(keys).toEqual([
      ['id', 'durationMs', 'codec', 'asrText', 'consent'],
      ['id', 'durationMs', 'codec', 'asrText', 'consent', 'hints'],
    ]);
    expect(raw.detailsText).toContain('"hints":{"domain":"music","wakeWordDetected":true}');
  });

  it('seals every clip under its own IV', () => {
    const file = join(tmp.dir, 'b.earmark');
    const same = sineWav();
    writeTestPackage(file, {
      recipient: device.publicKey,
      clips: [
        { id: 'c-AAAAAAAAAAAAAAA1', audio: same },
        { id: 'c-AAAAAAAAAAAAAAA2', audio: same },
      ],
    });
    const p = parsePackage(file);
    const ivs = new Set([p.header.details.iv, ...p.header.clips.map((c) => c.audio?.iv)]);
    expect(ivs.size).toBe(3);
    expect(p.bodies[0]?.equals(p.bodies[1] ?? Buffer.alloc(0))).toBe(false);
  });
});
