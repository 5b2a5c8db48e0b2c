import { randomBytes, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../../../core/crypto/device-key';
import { probeAudio } from '../../../core/package/audio-probe';
import {
  appendToPackage,
  assemblePackage,
  clipDetails,
  DAY_MS,
  detailsJson,
  downgradeToVersion1,
  elfBytes,
  flipClipCiphertextBit,
  htmlBytes,
  reauthenticateHeader,
  rewriteHeader,
  rewriteHeaderBytes,
  setDeclaredHeaderLength,
  setMagic,
  shortenClipTag,
  silenceFlac,
  silenceOpus,
  silenceWav,
  sineWav,
  swapClips,
  truncatePackage,
  writeTestPackage,
} from '../../support/packages';
import { makeServices, queryDb, serviceError, serviceFailure, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';

describe('vault service: importing a package', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  const recipient = () => env.services.vault.deviceKey().publicKey;
  const rows = (table: string): number =>
    queryDb<{ n: number }>(env.dataDir, `SELECT count(*) AS n FROM ${table}`)[0]?.n ?? -1;

  const expectNothingStored = (): void => {
    expect(env.services.batches.list()).toEqual([]);
    expect(['batches', 'batch_keys', 'clips', 'refused_clips'].map(rows)).toEqual([0, 0, 0, 0]);
  };

  beforeEach(() => {
    env = makeServices();
    tmp = makeTempDir('earmark-in-');
    file = join(tmp.dir, 'batch.earmark');
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  describe('a good package', () => {
    it('imports every clip and reports the counts', () => {
      const built = writeTestPackage(file, { recipient: recipient() });
      expect(env.services.vault.importPackage(file)).toEqual({
        batchId: built.batchId,
        imported: 3,
        quarantined: [],
        withdrawn: [],
      });
      expect(env.services.batches.list()).toEqual([
        expect.objectContaining({ id: built.batchId, clipCount: 3, doneCount: 0, locale: 'en-US', status: 'active' }),
      ]);
    });

    it('lists the clips in order with their durations', () => {
      const built = writeTestPackage(file, { recipient: recipient() });
      env.services.vault.importPackage(file);
      expect(env.services.vault.listClips(built.batchId)).toEqual([
        { id: 'c-AAAAAAAAAAAAAAA1', ordinal: 0, state: 'ready', reason: null, durationMs: 300 },
        { id: 'c-AAAAAAAAAAAAAAA2', ordinal: 1, state: 'ready', reason: null, durationMs: 500 },
        { id: 'c-AAAAAAAAAAAAAAA3', ordinal: 2, state: 'ready', reason: null, durationMs: 200 },
      ]);
    });

    it('opens a clip as exactly the original audio bytes and ASR text', () => {
      const built = writeTestPackage(file, {
        recipient: recipient(),
        clips: [
          {
            id: 'c-AAAAAAAAAAAAAAA1',
            asrText: 'play some jazz',
            hints: { domain: 'music', deviceType: 'speaker', wakeWordDetected: true },
          },
          {
            id: 'c-AAAAAAAAAAAAAAA2',
            audio: sineWav({ durationMs: 700, frequencyHz: 300 }),
            durationMs: 700,
            asrText: 'résumé ✓ 日本語',
          },
        ],
      });
      env.services.vault.importPackage(file);
      const one = env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAA1');
      expect(Buffer.from(one.audio).equals(built.clips[0]?.audio ?? Buffer.alloc(0))).toBe(true);
      expect(one).toMatchObject({
        id: 'c-AAAAAAAAAAAAAAA1',
        batchId: built.batchId,
        codec: 'wav',
        durationMs: 300,
        asrText: 'play some jazz',
      });
      expect(one.hints).toEqual({ domain: 'music', deviceType: 'speaker', wakeWordDetected: true });
      const two = env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAA2');
      expect(Buffer.from(two.audio).equals(built.clips[1]?.audio ?? Buffer.alloc(0))).toBe(true);
      expect(two.asrText).toBe('résumé ✓ 日本語');
      expect(two.hints).toBeNull();
    });

    it('imports Ogg Opus and FLAC clips and plays them back unchanged', () => {
      const opus = silenceOpus(400);
      const flac = silenceFlac(600);
      const built = writeTestPackage(file, {
        recipient: recipient(),
        clips: [
          { id: 'c-AAAAAAAAAAAAAAA0', audio: opus, codec: 'opus', durationMs: 400 },
          { id: 'c-AAAAAAAAAAAAAAAF', audio: flac, codec: 'flac', durationMs: 600 },
        ],
      });
      expect(env.services.vault.importPackage(file).imported).toBe(2);
      expect(Buffer.from(env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAA0').audio).equals(opus)).toBe(
        true,
      );
      expect(Buffer.from(env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAAF').audio).equals(flac)).toBe(
        true,
      );
    });

    it('imports pure silence and plays it', () => {
      const silence = silenceWav(400);
      const built = writeTestPackage(file, {
        recipient: recipient(),
        clips: [{ id: 'c-AAAAAAAAAAAQV1ET', audio: silence, durationMs: 400 }],
      });
      expect(env.services.vault.importPackage(file)).toMatchObject({ imported: 1, quarantined: [] });
      const clip = env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAQV1ET');
      expect(Buffer.from(clip.audio).equals(silence)).toBe(true);
      expect(probeAudio(clip.audio)).toMatchObject({ codec: 'wav', durationMs: 400 });
    });

    it('stores audio and clip details only as ciphertext', () => {
      const built = writeTestPackage(file, {
        recipient: recipient(),
        clips: [{ id: 'c-AAAAAAAAAAAAAAA1', asrText: 'remind me to water the plants' }],
      });
      env.services.vault.importPackage(file);
      const [row] = queryDb<{ audio: Buffer; meta: Buffer }>(env.dataDir, 'SELECT audio, meta FROM clips');
      expect(row?.audio.includes('RIFF')).toBe(false);
      expect(row?.audio.length).toBe(built.clips[0]?.audio?.length);
      expect(row?.meta.includes('water the plants')).toBe(false);
      const [key] = queryDb<{ wrap: Buffer }>(env.dataDir, 'SELECT wrap FROM batch_keys');
      expect(key?.wrap.length).toBeGreaterThan(0);
    });

    it('opens clips after the keys are forgotten and after a restart', () => {
      const built = writeTestPackage(file, { recipient: recipient() });
      env.services.vault.importPackage(file);
      env.services.vault.forgetKeys();
      expect(env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAA2').asrText).toBe(
        'what is the weather tomorrow',
      );
      const restarted = env.reopen();
      const clip = restarted.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAA3');
      expect(Buffer.from(clip.audio).equals(built.clips[2]?.audio ?? Buffer.alloc(0))).toBe(true);
      expect(restarted.vault.listClips(built.batchId).map((c) => c.durationMs)).toEqual([300, 500, 200]);
    });

    it('answers NOT_FOUND for a batch or clip it does not have', () => {
      const built = writeTestPackage(file, { recipient: recipient() });
      env.services.vault.importPackage(file);
      expect(serviceError('NOT_FOUND', () => env.services.vault.listClips('b-AAAAAAAAAAA0THER'))).toMatch(
        /No batch "b-AAAAAAAAAAA0THER"/,
      );
      expect(
        serviceError('NOT_FOUND', () => env.services.vault.openClip('b-AAAAAAAAAAA0THER', 'c-AAAAAAAAAAAAAAA1')),
      ).toMatch(/No batch "b-AAAAAAAAAAA0THER"/);
      expect(serviceError('NOT_FOUND', () => env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAA9'))).toMatch(
        /Clip "c-AAAAAAAAAAAAAAA9" cannot be played/,
      );
    });

    it('tells the batch list when a batch arrives', () => {
      const seen: unknown[] = [];
      env.services.events.subscribe((event, payload) => seen.push([event, payload]));
      const built = writeTestPackage(file, { recipient: recipient() });
      env.services.vault.importPackage(file);
      expect(seen).toEqual([['batches:changed', [expect.objectContaining({ id: built.batchId })]]]);
    });
  });

  describe('clips that cannot be used', () => {
    it('refuses withdrawn-consent clips, lists them and stores nothing of them', () => {
      const built = writeTestPackage(file, {
        recipient: recipient(),
        clips: [
          { id: 'c-AAAAAAAAAAAAAAA1' },
          { id: 'c-AAAAAAAAAAAAAAA2', audio: sineWav({ durationMs: 2000 }) },
          { id: 'c-AAAAAAAAAAAAAAA3' },
        ],
        withdraw: ['c-AAAAAAAAAAAAAAA2'],
      });
      // The writer left the 2 s of withdrawn audio out: the whole package is smaller than it.
      expect(built.bytes).toBeLessThan(built.clips[1]?.audio?.length ?? 0);
      const report = env.services.vault.importPackage(file);
      expect(report).toEqual({
        batchId: built.batchId,
        imported: 2,
        quarantined: [],
        withdrawn: ['c-AAAAAAAAAAAAAAA2'],
      });
      expect(env.services.vault.listClips(built.batchId).map((c) => c.id)).toEqual([
        'c-AAAAAAAAAAAAAAA1',
        'c-AAAAAAAAAAAAAAA3',
      ]);
      expect(queryDb(env.dataDir, "SELECT * FROM clips WHERE clip_id = 'c-AAAAAAAAAAAAAAA2'")).toEqual([]);
      expect(env.services.vault.refusedClips(built.batchId)).toEqual(['c-AAAAAAAAAAAAAAA2']);
      expect(serviceError('NOT_FOUND', () => env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAA2'))).toMatch(
        /cannot be played/,
      );
    });

    it('quarantines a clip whose ciphertext fails authentication and keeps the rest usable', () => {
      const built = writeTestPackage(file, { recipient: recipient() });
      flipClipCiphertextBit(file, 'c-AAAAAAAAAAAAAAA2', 10);
      const report = env.services.vault.importPackage(file);
      expect(report.imported).toBe(2);
      expect(report.quarantined).toEqual([
        { clipId: 'c-AAAAAAAAAAAAAAA2', reason: expect.stringMatching(/failed authentication/) as unknown },
      ]);
      expect(env.services.vault.listClips(built.batchId)).toEqual([
        expect.objectContaining({ id: 'c-AAAAAAAAAAAAAAA1', state: 'ready' }),
        {
          id: 'c-AAAAAAAAAAAAAAA2',
          ordinal: 1,
          state: 'quarantined',
          reason: expect.stringMatching(/failed authentication/) as unknown,
          durationMs: 500,
        },
        expect.objectContaining({ id: 'c-AAAAAAAAAAAAAAA3', state: 'ready' }),
      ]);
      expect(serviceError('NOT_FOUND', () => env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAA2'))).toMatch(
        /Clip "c-AAAAAAAAAAAAAAA2" cannot be played/,
      );
      expect(
        queryDb(
          env.dataDir,
          "SELECT state, audio, audio_iv, audio_tag FROM clips WHERE clip_id = 'c-AAAAAAAAAAAAAAA2'",
        ),
      ).toEqual([{ state: 'quarantined', audio: null, audio_iv: null, audio_tag: null }]);
      expect(
        Buffer.from(env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAA3').audio).equals(
          built.clips[2]?.audio ?? Buffer.alloc(0),
        ),
      ).toBe(true);
    });

    it('quarantines both clips when two are swapped between ids behind a valid header tag', () => {
      const built = writeTestPackage(file, { recipient: recipient() });
      swapClips(file, 'c-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA2');
      reauthenticateHeader(file, env.services.vault.deviceKey());
      const report = env.services.vault.importPackage(file);
      expect(report.imported).toBe(1);
      expect(report.quarantined.map((q) => q.clipId)).toEqual(['c-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA2']);
      expect(serviceError('NOT_FOUND', () => env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAA1'))).toMatch(
        /cannot be played/,
      );
      expect(serviceError('NOT_FOUND', () => env.services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAAAA2'))).toMatch(
        /cannot be played/,
      );
      expect(queryDb(env.dataDir, 'SELECT count(*) AS n FROM clips WHERE audio IS NOT NULL')).toEqual([{ n: 1 }]);
    });

    it('quarantines HTML and programs posing as clips, saying what they look like', () => {
      const built = writeTestPackage(file, {
        recipient: recipient(),
        clips: [
          { id: 'c-AAAAAAAAAAAAPAGE', audio: htmlBytes() },
          { id: 'c-AAAAAAAAAAAAAEXE', audio: elfBytes() },
          { id: 'c-AAAAAAAAAAAAAA0K' },
        ],
      });
      const report = env.services.vault.importPackage(file);
      expect(report.quarantined).toEqual([
        { clipId: 'c-AAAAAAAAAAAAPAGE', reason: 'This is HTML or XML, not audio.' },
        { clipId: 'c-AAAAAAAAAAAAAEXE', reason: 'This is a program, not audio.' },
      ]);
      expect(env.services.vault.listClips(built.batchId).map((c) => c.state)).toEqual([
        'quarantined',
        'quarantined',
        'ready',
      ]);
      expect(queryDb(env.dataDir, 'SELECT clip_id FROM clips WHERE audio IS NOT NULL')).toEqual([
        { clip_id: 'c-AAAAAAAAAAAAAA0K' },
      ]);
    });
    it('quarantines a clip whose manifest lies about its length, and one with no samples', () => {
      const built = writeTestPackage(file, {
        recipient: recipient(),
        clips: [
          { id: 'c-AAAAAAA10NGC1A1M', audio: sineWav({ durationMs: 300 }), durationMs: 9_000 },
          { id: 'c-AAAAAAAAAAAEMPTY', audio: silenceWav(0), durationMs: 1 },
          { id: 'c-AAAAAAAAAAH0NEST', audio: sineWav({ durationMs: 300 }), durationMs: 310 },
        ],
      });
      const report = env.services.vault.importPackage(file);
      expect(report.quarantined).toEqual([
        { clipId: 'c-AAAAAAA10NGC1A1M', reason: 'The manifest says 9000 ms, but the audio lasts 300 ms.' },
        { clipId: 'c-AAAAAAAAAAAEMPTY', reason: 'The audio holds no samples.' },
      ]);
      expect(env.services.vault.listClips(built.batchId).map((c) => c.state)).toEqual([
        'quarantined',
        'quarantined',
        'ready',
      ]);
    });
  });

  describe('packages that are refused whole', () => {
    it('refuses a package for another workstation, naming both key ids, and stores nothing', () => {
      const other = generateDeviceKey();
      writeTestPackage(file, { recipient: other.publicKey });
      const refused = serviceFailure('PACKAGE_REFUSED', () => env.services.vault.importPackage(file));
      expect(refused.details).toEqual({ reason: 'other_workstation' });
      const message = refused.message;
      expect(message).toContain(`workstation key ${other.keyId}`);
      expect(message).toContain(`this workstation's key is ${env.services.vault.deviceKey().keyId}`);
      expectNothingStored();
    });

    it('refuses an expired package', () => {
      const expiresAt = new Date(Date.now() - 1000);
      writeTestPackage(file, {
        recipient: recipient(),
        createdAt: new Date(Date.now() - 10 * DAY_MS),
        expiresAt,
      });
      expect(serviceError('PACKAGE_REFUSED', () => env.services.vault.importPackage(file))).toMatch(
        /The batch expired on/,
      );
      expect(serviceFailure('PACKAGE_REFUSED', () => env.services.vault.importPackage(file)).details).toEqual({
        reason: 'expired',
        expiresAt: expiresAt.toISOString(),
      });
      expectNothingStored();
    });

    it('refuses duplicate clip ids', () => {
      writeTestPackage(file, {
        recipient: recipient(),
        clips: [{ id: 'c-AAAAAAAAAAAAAAA1' }, { id: 'c-AAAAAAAAAAAAAAA2' }, { id: 'c-AAAAAAAAAAAAAAA1' }],
      });
      expect(serviceError('PACKAGE_REFUSED', () => env.services.vault.importPackage(file))).toMatch(
        /Clip id "c-AAAAAAAAAAAAAAA1" appears more than once/,
      );
      expectNothingStored();
    });

    it('refuses a batch that is already here and leaves the first import intact', () => {
      const first = writeTestPackage(file, { recipient: recipient() });
      env.services.vault.importPackage(file);
      const again = join(tmp.dir, 'again.earmark');
      writeTestPackage(again, {
        recipient: recipient(),
        batchId: first.batchId,
        clips: [{ id: 'c-AAAAAAAAAAAAAAX1', asrText: 'impostor' }],
      });
      expect(serviceError('PACKAGE_REFUSED', () => env.services.vault.importPackage(again))).toMatch(
        /already on this workstation/,
      );
      expect(serviceError('PACKAGE_REFUSED', () => env.services.vault.importPackage(file))).toMatch(
        /already on this workstation/,
      );
      expect(serviceFailure('PACKAGE_REFUSED', () => env.services.vault.importPackage(file)).details).toEqual({
        reason: 'already_imported',
        batchId: first.batchId,
      });
      expect(env.services.batches.list()).toHaveLength(1);
      expect(env.services.vault.listClips(first.batchId).map((c) => c.id)).toEqual([
        'c-AAAAAAAAAAAAAAA1',
        'c-AAAAAAAAAAAAAAA2',
        'c-AAAAAAAAAAAAAAA3',
      ]);
      expect(env.services.vault.openClip(first.batchId, 'c-AAAAAAAAAAAAAAA1').asrText).toBe(
        'turn on the kitchen lights',
      );
      expect(
        Buffer.from(env.services.vault.openClip(first.batchId, 'c-AAAAAAAAAAAAAAA2').audio).equals(
          first.clips[1]?.audio ?? Buffer.alloc(0),
        ),
      ).toBe(true);
      expect(rows('batch_keys')).toBe(1);
    });

    const goodClip = { id: 'c-AAAAAAAAAAAAAAA1', audio: sineWav() };
    const withDetails = (entry: Record<string, unknown>) => (f: string, r: () => KeyObject) =>
      assemblePackage(f, {
        recipient: r(),
        clips: [goodClip],
        details: detailsJson([{ ...clipDetails({ id: 'c-AAAAAAAAAAAAAAA1' }), ...entry }]),
      });

    const refusals: readonly { name: string; make: (f: string, r: () => KeyObject) => void; message: RegExp }[] = [
      {
        name: 'a truncated file',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          truncatePackage(f, 1);
        },
        message: /The package is truncated: the header describes \d+ bytes, the file has \d+\./,
      },
      {
        name: 'trailing bytes after the last clip',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          appendToPackage(f, randomBytes(7));
        },
        message: /The package has 7 unexpected bytes after its last clip\./,
      },
      {
        name: 'wrong magic bytes',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          setMagic(f, 'PK\x03\x04');
        },
        message: /not an Earmark batch package \(wrong magic bytes\)/,
      },
      {
        name: 'a file too short for a preamble',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          truncatePackage(f, Number.MAX_SAFE_INTEGER);
        },
        message: /too short to be a batch package/,
      },
      {
        name: 'a header length over the cap',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          setDeclaredHeaderLength(f, 0xffff_ffff);
        },
        message: /The header declares 4294967295 bytes; the limit is 4194304\./,
      },
      {
        name: 'a header length beyond the end of the file',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          setDeclaredHeaderLength(f, 1_000_000);
        },
        message: /truncated inside its header/,
      },
      {
        name: 'a header with a byte-order mark',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          rewriteHeaderBytes(f, (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]));
        },
        message: /The header starts with a byte-order mark/,
      },
      {
        name: 'a header that is not JSON',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          rewriteHeaderBytes(f, (b) => b.subarray(0, b.length - 1));
        },
        message: /The header is not valid JSON/,
      },
      {
        name: 'a header that is not UTF-8',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          rewriteHeaderBytes(f, (b) => Buffer.concat([b.subarray(0, 1), Buffer.from([0xff, 0xfe]), b.subarray(1)]));
        },
        message: /The header is not valid UTF-8/,
      },
      {
        name: 'a header field of the wrong type',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          rewriteHeader(f, (h) => ({
            ...h,
            clips: h.clips.map((c) => (c.audio ? { ...c, audio: { ...c.audio, size: String(c.audio.size) } } : c)),
          }));
        },
        message: /The header clips\.0\.audio\.size: .*expected number, received string/,
      },
      {
        name: 'a newer format version',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          rewriteHeader(f, (h) => ({ ...h, version: 3 }));
        },
        message:
          /This package is in batch format version 3, newer than this Earmark reads \(version 2\); update Earmark to import it\./,
      },
      {
        name: 'format version 1, whose header no tag covers',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          downgradeToVersion1(f);
        },
        message: /This package is in batch format version 1, .* Pack the batch again with this version/,
      },
      {
        name: 'an expiry moved later',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          rewriteHeader(f, (h) => ({
            ...h,
            expiresAt: new Date(Date.parse(h.expiresAt) + 365 * DAY_MS).toISOString(),
          }));
        },
        message: /The package header was altered after packing: it does not match its header tag\./,
      },
      {
        name: 'an unknown header field',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          rewriteHeader(f, (h) => ({ ...h, comment: 'hello' }));
        },
        message: /The header: Unrecognized key: "comment"/,
      },
      {
        name: 'an identity-like field in a clip entry',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          rewriteHeader(f, (h) => ({
            ...h,
            clips: h.clips.map((c, i) => (i === 1 ? { ...c, customerEmail: 'someone@example.com' } : c)),
          }));
        },
        message:
          /The header has an identity-like field "clips\[1\]\.customerEmail"; batches carry pseudonymous ids only\./,
      },
      {
        name: 'nesting deeper than the cap',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          rewriteHeader(f, (h) => ({ ...h, x: [[[[[[[[[[1]]]]]]]]]] }));
        },
        message: /The header nests deeper than 8 levels at x\[0\]/,
      },
      {
        name: 'a short clip tag',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          shortenClipTag(f, 'c-AAAAAAAAAAAAAAA1', 12);
        },
        message: /The header clips\.0\.audio\.tag: must decode to 16 bytes/,
      },
      {
        name: 'a clip declared at 4 GiB (caps checked before allocation)',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          rewriteHeader(f, (h) => ({
            ...h,
            clips: h.clips.map((c) => (c.audio ? { ...c, audio: { ...c.audio, size: 2 ** 32 } } : c)),
          }));
        },
        message: /The header clips\.0\.audio\.size: Too big: expected number to be <=8388608/,
      },
      {
        name: 'an altered wrapped batch key',
        make: (f, r) => {
          writeTestPackage(f, { recipient: r() });
          rewriteHeader(f, (h) => ({
            ...h,
            recipient: { ...h.recipient, wrappedKey: randomBytes(32).toString('base64') },
          }));
        },
        message: /does not unwrap with this workstation's key/,
      },
      {
        name: 'a negative duration in the details',
        make: withDetails({ durationMs: -5 }),
        message: /The clip details clips\.0\.durationMs: Too small/,
      },
      {
        name: 'a NaN duration in the details (JSON null)',
        make: withDetails({ durationMs: NaN }),
        message: /The clip details clips\.0\.durationMs: .*received null/,
      },
      {
        name: 'a huge duration in the details',
        make: withDetails({ durationMs: 1e15 }),
        message: /The clip details clips\.0\.durationMs: Too big/,
      },
      {
        name: 'a fractional duration in the details',
        make: withDetails({ durationMs: 12.5 }),
        message: /The clip details clips\.0\.durationMs: Invalid input: expected int/,
      },
      {
        name: 'a literal NaN in the details text',
        make: (f, r) =>
          assemblePackage(f, {
            recipient: r(),
            clips: [goodClip],
            details:
              '{"clips":[{"id":"c-AAAAAAAAAAAAAAA1","durationMs":NaN,"codec":"wav","asrText":"x","consent":"granted"}]}',
          }),
        message: /The clip details is not valid JSON/,
      },
      {
        name: 'an identity-like field in the details',
        make: withDetails({ hints: { domain: 'x', speakerName: 'Ada' } }),
        message: /The clip details has an identity-like field "clips\[0\]\.hints\.speakerName"/,
      },
      {
        name: 'an unknown codec in the details',
        make: withDetails({ codec: 'mp3' }),
        message: /The clip details clips\.0\.codec/,
      },
      {
        name: 'over-long ASR text',
        make: withDetails({ asrText: 'a'.repeat(4001) }),
        message: /The clip details clips\.0\.asrText: Too big/,
      },
      {
        name: 'details with a byte-order mark',
        make: (f, r) =>
          assemblePackage(f, {
            recipient: r(),
            clips: [goodClip],
            details: `\ufeff${detailsJson([clipDetails({ id: 'c-AAAAAAAAAAAAAAA1' })])}`,
          }),
        message: /The clip details starts with a byte-order mark/,
      },
      {
        name: 'a package that expires before it was created',
        make: (f, r) =>
          assemblePackage(f, {
            recipient: r(),
            clips: [goodClip],
            details: detailsJson([clipDetails({ id: 'c-AAAAAAAAAAAAAAA1' })]),
            createdAt: new Date(Date.now() + 2 * DAY_MS),
            expiresAt: new Date(Date.now() + DAY_MS),
          }),
        message: /expires before it was created/,
      },
    ];

    it.each(refusals)('refuses $name with a specific message and stores nothing', ({ make, message }) => {
      make(file, recipient);
      const error = serviceError('PACKAGE_REFUSED', () => env.services.vault.importPackage(file));
      expect(error).toMatch(/^The batch package was refused: /);
      expect(error).toMatch(message);
      expectNothingStored();
    });

    it('refuses a file that does not exist', () => {
      const missing = join(tmp.dir, 'missing.earmark');
      const refused = serviceFailure('PACKAGE_REFUSED', () => env.services.vault.importPackage(missing));
      expect(refused.message).toMatch(/cannot be opened \(ENOENT\)/);
      expect(refused.details).toEqual({ reason: 'invalid' });
      expectNothingStored();
    });
  });
});
