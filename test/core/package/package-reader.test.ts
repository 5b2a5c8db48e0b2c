import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, PREAMBLE_BYTES } from '../../../shared/batch-package/limits';
import type { PackageHeader } from '../../../shared/batch-package/manifest';
import { open, aad } from '../../../core/crypto/aead';
import { generateDeviceKey } from '../../../core/crypto/device-key';
import { inspectPackage, readPackage, type ClipOutcome } from '../../../core/package/package-reader';
import { PackageRefusedError } from '../../../core/package/package-refusal';
import {
  assemblePackage,
  clipDetails,
  DAY_MS,
  detailsJson,
  downgradeToVersion1,
  elfBytes,
  flipBitAt,
  flipClipCiphertextBit,
  flipClipHeaderBit,
  htmlBytes,
  parsePackage,
  reauthenticateHeader,
  rewriteHeader,
  rewriteHeaderBytes,
  setDeclaredHeaderLength,
  silenceFlac,
  silenceOpus,
  silenceWav,
  sineWav,
  swapClips,
  truncatePackage,
  writeTestPackage,
} from '../../support/packages';
import { makeTempDir } from '../../support/temp-dir';

describe('package reader', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  const device = generateDeviceKey();
  const now = Date.now();

  const read = (f = file, d = device) => {
    const outcomes: ClipOutcome[] = [];
    let openedWith: string | undefined;
    const opened = readPackage(
      f,
      { device: d, now },
      { onOpened: (h) => (openedWith = h.batchId), onClip: (o) => outcomes.push(o) },
    );
    return { opened, outcomes, openedWith };
  };

  const refusal = (f = file, d = device): PackageRefusedError => {
    try {
      read(f, d);
    } catch (error) {
      if (error instanceof PackageRefusedError) {
        return error;
      }
      throw error;
    }
    throw new Error('The package was not refused.');
  };

  beforeEach(() => {
    tmp = makeTempDir('earmark-read-');
    file = join(tmp.dir, 'b.earmark');
  });
  afterEach(() => tmp.remove());

  it('visits every clip of a good package in order with its sealed audio', () => {
    const built = writeTestPackage(file, { recipient: device.publicKey });
    const { opened, outcomes, openedWith } = read();
    expect(openedWith).toBe(built.batchId);
    expect(outcomes.map((o) => [o.kind, o.ordinal, o.details.id])).toEqual([
      ['ok', 0, 'c-AAAAAAAAAAAAAAA1'],
      ['ok', 1, 'c-AAAAAAAAAAAAAAA2'],
      ['ok', 2, 'c-AAAAAAAAAAAAAAA3'],
    ]);
    outcomes.forEach((o, i) => {
      if (o.kind !== 'ok') {
        throw new Error('expected ok');
      }
      const plain = open(
        opened.batchKey,
        { iv: o.iv, tag: o.tag, ciphertext: o.ciphertext },
        aad('clip', built.batchId, o.details.id),
      );
      expect(plain.equals(built.clips[i]?.audio ?? Buffer.alloc(0))).toBe(true);
    });
    expect(opened.batchKey.length).toBe(32);
  });

  it('accepts Ogg Opus, FLAC and silent WAV clips', () => {
    writeTestPackage(file, {
      recipient: device.publicKey,
      clips: [
        { id: 'c-AAAAAAAAAAAAAAA0', audio: silenceOpus(), codec: 'opus' },
        { id: 'c-AAAAAAAAAAAAAAAF', audio: silenceFlac(), codec: 'flac' },
        { id: 'c-AAAAAAAAAAAAAAAS', audio: silenceWav() },
      ],
    });
    expect(read().outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok']);
  });

  it('reports withdrawn clips without reading their audio', () => {
    writeTestPackage(file, { recipient: device.publicKey, withdraw: ['c-AAAAAAAAAAAAAAA2'] });
    expect(read().outcomes.map((o) => [o.details.id, o.kind])).toEqual([
      ['c-AAAAAAAAAAAAAAA1', 'ok'],
      ['c-AAAAAAAAAAAAAAA2', 'withdrawn'],
      ['c-AAAAAAAAAAAAAAA3', 'ok'],
    ]);
  });

  it('skips, undecrypted, audio a package carries for a withdrawn clip', () => {
    const withdrawn = { ...clipDetails({ id: 'c-AAAAAAAAAAAAAAAW' }), consent: 'withdrawn' as const };
    assemblePackage(file, {
      recipient: device.publicKey,
      clips: [
        { id: 'c-AAAAAAAAAAAAAAAW', audio: htmlBytes() },
        { id: 'c-AAAAAAAAAAAAAAAK', audio: sineWav() },
      ],
      details: detailsJson([withdrawn, clipDetails({ id: 'c-AAAAAAAAAAAAAAAK' })]),
    });
    expect(read().outcomes.map((o) => [o.details.id, o.kind])).toEqual([
      ['c-AAAAAAAAAAAAAAAW', 'withdrawn'],
      ['c-AAAAAAAAAAAAAAAK', 'ok'],
    ]);
  });

  it('quarantines a clip when its ciphertext, IV or tag fails authentication behind a valid header tag', () => {
    writeTestPackage(file, { recipient: device.publicKey });
    flipClipCiphertextBit(file, 'c-AAAAAAAAAAAAAAA1', 100);
    flipClipHeaderBit(file, 'c-AAAAAAAAAAAAAAA2', 'iv');
    flipClipHeaderBit(file, 'c-AAAAAAAAAAAAAAA3', 'tag');
    reauthenticateHeader(file, device);
    const { outcomes } = read();
    expect(outcomes.map((o) => o.kind)).toEqual(['quarantined', 'quarantined', 'quarantined']);
    outcomes.forEach((o) => {
      expect(o.kind === 'quarantined' && o.reason).toMatch(/The clip audio failed authentication/);
      expect(o).not.toHaveProperty('ciphertext');
    });
  });

  it('quarantines both clips when two clips are swapped between ids behind a valid header tag', () => {
    writeTestPackage(file, { recipient: device.publicKey });
    swapClips(file, 'c-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA3');
    reauthenticateHeader(file, device);
    expect(read().outcomes.map((o) => [o.details.id, o.kind])).toEqual([
      ['c-AAAAAAAAAAAAAAA1', 'quarantined'],
      ['c-AAAAAAAAAAAAAAA2', 'ok'],
      ['c-AAAAAAAAAAAAAAA3', 'quarantined'],
    ]);
  });

  it('quarantines correctly encrypted bytes that are not audio, saying what they look like', () => {
    writeTestPackage(file, {
      recipient: device.publicKey,
      clips: [
        { id: 'c-AAAAAAAAAAAAHTM1', audio: htmlBytes() },
        { id: 'c-AAAAAAAAAAAAAE1F', audio: elfBytes() },
        { id: 'c-AAAAAAAF1ACASWAV', audio: silenceFlac(), codec: 'wav' },
        { id: 'c-AAAAAAAAAAAAF1NE', audio: sineWav() },
      ],
    });
    const reasons = read().outcomes.map((o) => (o.kind === 'quarantined' ? o.reason : o.kind));
    expect(reasons).toEqual([
      'This is HTML or XML, not audio.',
      'This is a program, not audio.',
      'The audio is flac, but the manifest says wav.',
      'ok',
    ]);
  });

  it('quarantines a granted clip that came without audio', () => {
    assemblePackage(file, {
      recipient: device.publicKey,
      clips: [{ id: 'c-AAAAAAAAAAAEMPTY', audio: null }],
      details: detailsJson([clipDetails({ id: 'c-AAAAAAAAAAAEMPTY' })]),
    });
    const [only] = read().outcomes;
    expect(only?.kind === 'quarantined' && only.reason).toBe('The package has no audio for this clip.');
  });

  it('refuses a package made for another workstation, naming both keys, before decrypting anything', () => {
    const other = generateDeviceKey();
    writeTestPackage(file, { recipient: other.publicKey });
    const error = refusal();
    expect(error.message).toContain(other.keyId);
    expect(error.message).toContain(device.keyId);
  });

  it('refuses a package whose key id was forged to match this workstation', () => {
    const other = generateDeviceKey();
    writeTestPackage(file, { recipient: other.publicKey });
    rewriteHeader(file, (h) => ({ ...h, recipient: { ...h.recipient, keyId: device.keyId } }));
    expect(refusal().problems).toEqual([
      "The batch key does not unwrap with this workstation's key: the package was altered or made for another key.",
    ]);
  });

  it('refuses a package whose details fail authentication behind a valid header tag', () => {
    writeTestPackage(file, { recipient: device.publicKey });
    rewriteHeader(file, (h) => ({ ...h, details: { ...h.details, tag: Buffer.alloc(16).toString('base64') } }));
    reauthenticateHeader(file, device);
    expect(refusal().message).toMatch(/The clip details failed authentication/);
  });

  it('refuses details that list other clips than the header', () => {
    assemblePackage(file, {
      recipient: device.publicKey,
      clips: [
        { id: 'c-AAAAAAAAAAAAAAAA', audio: sineWav() },
        { id: 'c-AAAAAAAAAAAAAAAB', audio: sineWav() },
      ],
      details: detailsJson([clipDetails({ id: 'c-AAAAAAAAAAAAAAAB' }), clipDetails({ id: 'c-AAAAAAAAAAAAAAAA' })]),
    });
    expect(refusal().message).toMatch(/do not list the same clips, in the same order/);
  });

  it('checks caps before allocating: a header declaring a 4 GiB clip is refused by the schema', () => {
    writeTestPackage(file, { recipient: device.publicKey });
    rewriteHeader(file, (h) => ({
      ...h,
      clips: h.clips.map((c, i) => (i === 0 && c.audio ? { ...c, audio: { ...c.audio, size: 4 * 1024 ** 3 } } : c)),
    }));
    expect(refusal().message).toMatch(/The header clips\.0\.audio\.size: Too big: expected number to be <=8388608/);
    expect(() => inspectPackage(file)).toThrow(/clips\.0\.audio\.size: Too big/);
  });

  it('refuses a declared header length over the cap without reading it', () => {
    writeFileSync(file, Buffer.concat([Buffer.from('EARMARKB', 'latin1'), Buffer.from([0xff, 0xff, 0xff, 0xff])]));
    expect(refusal().problems).toEqual([`The header declares 4294967295 bytes; the limit is ${MAX_HEADER_BYTES}.`]);
    writeTestPackage(file, { recipient: device.publicKey });
    setDeclaredHeaderLength(file, MAX_HEADER_BYTES + 1);
    expect(refusal().message).toMatch(/declares 4194305 bytes; the limit is 4194304/);
  });

  it('refuses a package that has already expired by the trusted time', () => {
    writeTestPackage(file, {
      recipient: device.publicKey,
      createdAt: new Date(now - 3 * DAY_MS),
      expiresAt: new Date(now - DAY_MS),
    });
    expect(refusal().message).toMatch(/The batch expired on \d{4}-\d\d-\d\dT/);
  });

  it('lets inspect show the header without any key', () => {
    const built = writeTestPackage(file, { recipient: generateDeviceKey().publicKey });
    const summary = inspectPackage(file);
    expect(summary.header.batchId).toBe(built.batchId);
    expect(summary.header.clips.map((c) => c.id)).toEqual([
      'c-AAAAAAAAAAAAAAA1',
      'c-AAAAAAAAAAAAAAA2',
      'c-AAAAAAAAAAAAAAA3',
    ]);
  });

  describe('the header tag', () => {
    const ALTERED = 'The package header was altered after packing: it does not match its header tag.';
    const later = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY_MS).toISOString();
    const b64 = (bytes: Buffer): string => bytes.toString('base64');
    const flipped = (s: string): string => {
      const b = Buffer.from(s, 'base64');
      b[0] = (b[0] ?? 0) ^ 0x01;
      return b64(b);
    };
    /** The same bytes, spelt differently: the last base64 digit before "==" carries 4 unused bits. */
    const respelt = (s: string): string => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const at = s.length - 3;
      return `${s.slice(0, at)}${alphabet[alphabet.indexOf(s.charAt(at)) ^ 0x01] ?? ''}${s.slice(at + 1)}`;
    };
    const edits: readonly [string, (h: PackageHeader) => PackageHeader][] = [
      ['createdAt moved a day earlier', (h) => ({ ...h, createdAt: later(h.createdAt, -1) })],
      ['expiresAt moved a year later', (h) => ({ ...h, expiresAt: later(h.expiresAt, 365) })],
      ['locale changed', (h) => ({ ...h, locale: 'es-419' })],
      [
        'a clip renamed',
        (h) => ({
          ...h,
          clips: h.clips.map((c) => (c.id === 'c-AAAAAAAAAAAAAAA2' ? { ...c, id: 'c-AAAAAAAAAAAAAAA9' } : c)),
        }),
      ],
      [
        'a clip dropped its audio',
        (h) => ({ ...h, clips: h.clips.map((c, i) => (i === 2 ? { ...c, audio: null } : c)) }),
      ],
      [
        'a clip IV',
        (h) => ({
          ...h,
          clips: h.clips.map((c) => (c.audio ? { ...c, audio: { ...c.audio, iv: flipped(c.audio.iv) } } : c)),
        }),
      ],
      [
        'a clip tag',
        (h) => ({
          ...h,
          clips: h.clips.map((c) => (c.audio ? { ...c, audio: { ...c.audio, tag: flipped(c.audio.tag) } } : c)),
        }),
      ],
      ['the details IV', (h) => ({ ...h, details: { ...h.details, iv: flipped(h.details.iv) } })],
      ['the details tag', (h) => ({ ...h, details: { ...h.details, tag: flipped(h.details.tag) } })],
      [
        'a details tag spelt differently but decoding to the same bytes',
        (h) => ({ ...h, details: { ...h.details, tag: respelt(h.details.tag) } }),
      ],
    ];

    it.each(edits)('refuses a package whose header had %s, before decrypting anything', (_name, edit) => {
      writeTestPackage(file, { recipient: device.publicKey });
      const lastBody = parsePackage(file).header.clips[2]?.audio?.size ?? 0;
      rewriteHeader(file, edit);
      if (parsePackage(file).header.clips[2]?.audio === null) {
        // Its body goes too, so the file is exactly as long as the header says.
        truncatePackage(file, lastBody);
      }
      let visited = 0;
      expect(() =>
        readPackage(file, { device, now }, { onOpened: () => (visited += 1), onClip: () => (visited += 1) }),
      ).toThrow(PackageRefusedError);
      expect(visited).toBe(0);
      expect(refusal().problems).toEqual([ALTERED]);
    });

    it('refuses a header that reads the same but is laid out differently', () => {
      writeTestPackage(file, { recipient: device.publicKey });
      rewriteHeaderBytes(file, (b) => Buffer.from(JSON.stringify(JSON.parse(b.toString('utf8')), null, 1), 'utf8'));
      expect(refusal().problems).toEqual([ALTERED]);
    });

    it('refuses a flipped bit in the header tag itself', () => {
      writeTestPackage(file, { recipient: device.publicKey });
      flipBitAt(file, PREAMBLE_BYTES + parsePackage(file).headerBytes.length + 5);
      expect(refusal().problems).toEqual([ALTERED]);
    });

    it('refuses an expired batch whose expiry was moved into the future', () => {
      writeTestPackage(file, {
        recipient: device.publicKey,
        createdAt: new Date(now - 20 * DAY_MS),
        expiresAt: new Date(now - DAY_MS),
      });
      rewriteHeader(file, (h) => ({ ...h, expiresAt: later(h.expiresAt, 30) }));
      expect(refusal().problems).toEqual([ALTERED]);
    });

    it('refuses format version 1 by name and asks for the batch to be packed again, with or without a key', () => {
      writeTestPackage(file, { recipient: device.publicKey });
      downgradeToVersion1(file);
      const repack =
        'This package is in batch format version 1, whose readable header (expiry, locale, times) is not authenticated; ' +
        'this Earmark reads only version 2. Pack the batch again with this version ("npm run batch -- pack"), or check it out ' +
        'from the annotation service again.';
      expect(refusal().problems).toEqual([repack]);
      expect(() => inspectPackage(file)).toThrow(repack);
    });

    it('refuses a newer format version, asking for a newer Earmark', () => {
      writeTestPackage(file, { recipient: device.publicKey });
      rewriteHeader(file, (h) => ({ ...h, version: 3 }));
      expect(refusal().problems).toEqual([
        'This package is in batch format version 3, newer than this Earmark reads (version 2); update Earmark to import it.',
      ]);
    });
  });
});
