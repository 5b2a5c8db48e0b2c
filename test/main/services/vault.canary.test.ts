/**
 * Plants a unique transcript and a distinctive audio byte pattern in a batch, runs it through
 * import, listing, playback and revocation, then searches every file the app and the test left
 * behind for them and for audio signatures. The same scanner is shown to find them in a file
 * that does hold them, so a pass is not vacuous.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_KEY_FILE, STATE_ANCHOR_FILE } from '../../../main/crypto/key-store';
import { audioMagic as magic, filesUnder, newFilesIn, scan, type Needle } from '../../support/disk-scan';
import { parsePackage, patternWav, silenceFlac, silenceOpus, writeTestPackage } from '../../support/packages';
import { makeServices } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';

/** Three bytes: random ciphertext holds it by chance about once per 16 MB, so it is checked once the ciphertext is gone. */
const id3: Needle = { name: 'ID3', bytes: Buffer.from('ID3', 'latin1') };

describe('vault service: nothing readable left on disk', () => {
  const realTmp = tmpdir();
  let privateTmp: string;
  const savedTmpdir = process.env.TMPDIR;

  // Files other test processes write to the shared temp folder at the same time could hold
  // audio signatures; this process's temp folder is its own, so every file in it is this test's.
  beforeAll(() => {
    privateTmp = mkdtempSync(join(realTmp, 'earmark-canary-'));
    process.env.TMPDIR = privateTmp;
  });
  afterAll(() => {
    if (savedTmpdir === undefined) {
      delete process.env.TMPDIR;
    } else {
      process.env.TMPDIR = savedTmpdir;
    }
    rmSync(privateTmp, { recursive: true, force: true });
  });

  it('keeps transcript, audio and audio signatures off the disk through import, playback and revocation', () => {
    const realBefore = new Set(readdirSync(realTmp));
    expect(tmpdir()).toBe(privateTmp);
    const env = makeServices();
    const inputs = makeTempDir('earmark-inputs-');
    try {
      const canary = `CANARY-7f3e9a-${randomBytes(6).toString('hex')} transcript text`;
      const pattern = createHash('sha256').update(canary).digest();
      const audio = patternWav(pattern, 64);
      const content: readonly Needle[] = [
        { name: 'canary (utf8)', bytes: Buffer.from(canary, 'utf8') },
        { name: 'canary (utf16le)', bytes: Buffer.from(canary, 'utf16le') },
        { name: 'audio pattern', bytes: pattern },
      ];

      const file = join(inputs.dir, 'canary.earmark');
      const built = writeTestPackage(file, {
        recipient: env.services.vault.deviceKey().publicKey,
        clips: [
          { id: 'c-AAAAAAAAAACANARY', audio, durationMs: 128, asrText: canary },
          { id: 'c-AAAAAAAAAAAA0PVS', audio: silenceOpus(), codec: 'opus', asrText: 'an opus clip' },
          { id: 'c-AAAAAAAAAAAAF1AC', audio: silenceFlac(), codec: 'flac', asrText: 'a flac clip' },
        ],
      });
      expect(scan([file], content)).toEqual([]);

      const services = env.services;
      expect(services.vault.importPackage(file)).toMatchObject({ imported: 3, quarantined: [] });
      expect(services.vault.listClips(built.batchId).map((c) => c.durationMs)).toEqual([128, 300, 300]);
      const opened = services.vault.openClip(built.batchId, 'c-AAAAAAAAAACANARY');
      expect(opened.asrText).toBe(canary);
      expect(Buffer.from(opened.audio).equals(audio)).toBe(true);
      const played = [
        opened.audio,
        services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAA0PVS').audio,
        services.vault.openClip(built.batchId, 'c-AAAAAAAAAAAAF1AC').audio,
      ];

      const dataFiles = ['earmark.db', 'earmark.db-wal', 'earmark.db-shm', DEVICE_KEY_FILE, STATE_ANCHOR_FILE].map(
        (n) => join(env.dataDir, n),
      );
      expect(filesUnder(env.dataDir).sort()).toEqual([...dataFiles].sort());
      // Live: everything at rest is ciphertext.
      expect(scan(dataFiles, [...content, ...magic])).toEqual([]);

      services.vault.revoke(built.batchId);

      const sealed = parsePackage(file).bodies;
      const ciphertexts = sealed.map((b, i) => ({ name: `clip ${i} ciphertext`, bytes: b }));
      expect(scan(dataFiles, [...content, ...magic, id3])).toEqual([]);
      // Crypto-erase, secure_delete and the checkpoint leave no ciphertext to attack either.
      expect(scan(dataFiles, ciphertexts)).toEqual([]);
      const appFiles = filesUnder(privateTmp).filter((f) => !f.startsWith(inputs.dir));
      expect(appFiles).toEqual(expect.arrayContaining(dataFiles));
      expect(scan(appFiles, [...content, ...magic, id3])).toEqual([]);
      expect(scan(newFilesIn(realTmp, realBefore), content)).toEqual([]);

      // The scanner is not vacuous: it finds every needle where they are, in either folder.
      const plain = Buffer.concat([
        ...played.map((a) => Buffer.from(a)),
        Buffer.from(canary, 'utf8'),
        Buffer.from(canary, 'utf16le'),
        Buffer.from('ID3\x04\x00', 'latin1'),
      ]);
      const control = makeTempDir('earmark-control-');
      writeFileSync(join(control.dir, 'plain.bin'), plain);
      const controlFile = join(control.dir, 'plain.bin');
      expect(scan(filesUnder(privateTmp), [...content, ...magic, id3])).toEqual(
        [...content, ...magic, id3].map((n) => `${controlFile}: ${n.name}`),
      );
      control.remove();
      const shared = mkdtempSync(join(realTmp, 'earmark-control-'));
      try {
        writeFileSync(join(shared, 'plain.bin'), plain);
        expect(scan(newFilesIn(realTmp, realBefore), content)).toEqual(
          content.map((n) => `${join(shared, 'plain.bin')}: ${n.name}`),
        );
      } finally {
        rmSync(shared, { recursive: true, force: true });
      }
    } finally {
      env.dispose();
      inputs.remove();
    }
  });
});
