/**
 * Hostile cryptography: altered, shortened, truncated, misaddressed and swapped ciphertext, and
 * an altered readable header. A clip whose audio fails authentication is quarantined with its
 * reason and no bytes while the rest of its batch stays usable; anything that breaks the batch
 * key, the header tag or the details refuses the package.
 */
import { generateDeviceKey } from '../../../core/crypto/device-key';
import { readPackage } from '../../../core/package/package-reader';
import { PackageRefusedError } from '../../../core/package/package-refusal';
import { HEADER_TAG_BYTES, PREAMBLE_BYTES } from '../../../shared/batch-package/limits';
import type { PackageHeader } from '../../../shared/batch-package/manifest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  downgradeToVersion1,
  flipBitAt,
  flipClipCiphertextBit,
  flipClipHeaderBit,
  parsePackage,
  reauthenticateHeader,
  rewriteHeader,
  shortenClipTag,
  sineWav,
  swapClips,
  transplantClip,
  truncateClip,
  truncatePackage,
  writeTestPackage,
} from '../../support/packages';
import {
  expectImportQuarantines,
  expectImportRefused,
  makeCanary,
  makeHostileEnv,
  type Canary,
  type HostileEnv,
} from './hostile-env';

const AUTH_FAILED = 'The clip audio failed authentication: it was altered, truncated or is for another key.';
const UNWRAP_FAILED =
  /The batch key does not unwrap with this workstation's key: the package was altered or made for another key\./;
const HEADER_ALTERED = /The package header was altered after packing: it does not match its header tag\./;

const flipB64 = (s: string): string => {
  const b = Buffer.from(s, 'base64');
  b[b.length - 1] = (b[b.length - 1] ?? 0) ^ 0x01;
  return b.toString('base64');
};

describe('hostile cryptography', () => {
  let env: HostileEnv;
  let file: string;
  let canary: Canary;

  /** Two clips: c-AAAAAAAAAAAAAAA1 carries the canary, c-AAAAAAAAAAAAAAA2 is an ordinary tone. */
  const pack = (batchId = 'b-AAAAAAAAACRYPT01', target = file) =>
    writeTestPackage(target, {
      recipient: env.recipient(),
      batchId,
      clips: [
        { id: 'c-AAAAAAAAAAAAAAA1', audio: canary.audio, durationMs: canary.durationMs, asrText: canary.text },
        { id: 'c-AAAAAAAAAAAAAAA2', audio: sineWav({ durationMs: 200 }), durationMs: 200 },
      ],
    });

  beforeEach(() => {
    env = makeHostileEnv();
    file = env.input('crypto.earmark');
    canary = makeCanary('crypto');
  });
  afterEach(() => env.dispose());

  describe('clips are quarantined, the rest of the batch stays usable', () => {
    it('with a flipped bit in its ciphertext', async () => {
      pack();
      flipClipCiphertextBit(file, 'c-AAAAAAAAAAAAAAA1', 40);
      await expectImportQuarantines(env, file, { 'c-AAAAAAAAAAAAAAA1': AUTH_FAILED }, canary.needles);
    });

    // Any edit of the header is refused by its tag first (below). Re-making the tag with the
    // batch key reaches the next line of defence: each clip's associated data.
    describe('behind a header tag re-made with the batch key', () => {
      const reauthenticate = () => reauthenticateHeader(file, env.services.vault.deviceKey());
      it.each<[string, () => void, Record<string, string>]>([
        [
          'a flipped bit in its IV',
          () => flipClipHeaderBit(file, 'c-AAAAAAAAAAAAAAA1', 'iv'),
          { 'c-AAAAAAAAAAAAAAA1': AUTH_FAILED },
        ],
        [
          'a flipped bit in its tag',
          () => flipClipHeaderBit(file, 'c-AAAAAAAAAAAAAAA1', 'tag'),
          { 'c-AAAAAAAAAAAAAAA1': AUTH_FAILED },
        ],
        [
          'its ciphertext truncated (size shrunk to match)',
          () => truncateClip(file, 'c-AAAAAAAAAAAAAAA1', 16),
          { 'c-AAAAAAAAAAAAAAA1': AUTH_FAILED },
        ],
        [
          'two clips swapped between ids',
          () => swapClips(file, 'c-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA2'),
          { 'c-AAAAAAAAAAAAAAA1': AUTH_FAILED, 'c-AAAAAAAAAAAAAAA2': AUTH_FAILED },
        ],
        [
          'a clip moved in from another batch for this workstation',
          () => transplantClip(pack('b-AAAAACRYPT0D0N0R', env.input('donor.earmark')).file, file, 'c-AAAAAAAAAAAAAAA1'),
          { 'c-AAAAAAAAAAAAAAA1': AUTH_FAILED },
        ],
      ])('with %s', async (_name, tamper, quarantined) => {
        pack();
        tamper();
        reauthenticate();
        await expectImportQuarantines(env, file, quarantined, canary.needles);
      });
    });
  });

  describe('the package is refused whole', () => {
    const header = (edit: (h: PackageHeader) => PackageHeader) => () => rewriteHeader(file, edit);
    const days = (iso: string, n: number): string => new Date(Date.parse(iso) + n * 86_400_000).toISOString();
    it.each<[string, () => void, RegExp]>([
      [
        'a flipped bit in the details ciphertext',
        () => flipBitAt(file, detailsOffset(file) + 3),
        /The clip details failed authentication/,
      ],
      ['an expiry moved a year later', header((h) => ({ ...h, expiresAt: days(h.expiresAt, 365) })), HEADER_ALTERED],
      ['a creation time moved earlier', header((h) => ({ ...h, createdAt: days(h.createdAt, -1) })), HEADER_ALTERED],
      ['another locale', header((h) => ({ ...h, locale: 'ro-RO' })), HEADER_ALTERED],
      [
        'a flipped bit in the details IV',
        header((h) => ({ ...h, details: { ...h.details, iv: flipB64(h.details.iv) } })),
        HEADER_ALTERED,
      ],
      [
        'a flipped bit in the details tag',
        header((h) => ({ ...h, details: { ...h.details, tag: flipB64(h.details.tag) } })),
        HEADER_ALTERED,
      ],
      ['a flipped bit in a clip IV', () => flipClipHeaderBit(file, 'c-AAAAAAAAAAAAAAA1', 'iv'), HEADER_ALTERED],
      ['a flipped bit in a clip tag', () => flipClipHeaderBit(file, 'c-AAAAAAAAAAAAAAA1', 'tag'), HEADER_ALTERED],
      [
        'a clip truncated with its size shrunk to match',
        () => truncateClip(file, 'c-AAAAAAAAAAAAAAA1', 16),
        HEADER_ALTERED,
      ],
      [
        'two clips swapped between ids',
        () => swapClips(file, 'c-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA2'),
        HEADER_ALTERED,
      ],
      [
        'a clip moved in from another batch',
        () => transplantClip(pack('b-AAAAACRYPT0D0N0R', env.input('donor.earmark')).file, file, 'c-AAAAAAAAAAAAAAA1'),
        HEADER_ALTERED,
      ],
      [
        'a flipped bit in the header tag',
        () => flipBitAt(file, detailsOffset(file) - HEADER_TAG_BYTES + 7),
        HEADER_ALTERED,
      ],
      [
        'format version 1, whose header no tag covers',
        () => downgradeToVersion1(file),
        /This package is in batch format version 1, .* Pack the batch again with this version/,
      ],
      [
        'a flipped bit in the wrapped batch key',
        header((h) => ({ ...h, recipient: { ...h.recipient, wrappedKey: flipB64(h.recipient.wrappedKey) } })),
        UNWRAP_FAILED,
      ],
      [
        'a flipped bit in the key-wrap IV',
        header((h) => ({ ...h, recipient: { ...h.recipient, iv: flipB64(h.recipient.iv) } })),
        UNWRAP_FAILED,
      ],
      [
        'a flipped bit in the key-wrap tag',
        header((h) => ({ ...h, recipient: { ...h.recipient, tag: flipB64(h.recipient.tag) } })),
        UNWRAP_FAILED,
      ],
      [
        'a flipped bit in the key-wrap salt',
        header((h) => ({ ...h, recipient: { ...h.recipient, salt: flipB64(h.recipient.salt) } })),
        UNWRAP_FAILED,
      ],
      [
        'a flipped bit in the ephemeral public key',
        header((h) => ({
          ...h,
          recipient: { ...h.recipient, ephemeralPublicKey: flipB64(h.recipient.ephemeralPublicKey) },
        })),
        UNWRAP_FAILED,
      ],
      [
        'a renamed batch (its id is in every associated data)',
        header((h) => ({ ...h, batchId: 'b-AAACRYPT0RENAMED' })),
        UNWRAP_FAILED,
      ],
      [
        'a short clip tag',
        () => shortenClipTag(file, 'c-AAAAAAAAAAAAAAA1', 12),
        /The header clips\.0\.audio\.tag: must decode to 16 bytes\./,
      ],
      [
        'a short details tag',
        header((h) => ({
          ...h,
          details: { ...h.details, tag: Buffer.from(h.details.tag, 'base64').subarray(0, 8).toString('base64') },
        })),
        /The header details\.tag: must decode to 16 bytes\./,
      ],
      [
        'a short key-wrap tag',
        header((h) => ({
          ...h,
          recipient: { ...h.recipient, tag: Buffer.from(h.recipient.tag, 'base64').subarray(0, 4).toString('base64') },
        })),
        /The header recipient\.tag: must decode to 16 bytes\./,
      ],
      [
        'a clip cut short by a truncated file',
        () => truncatePackage(file, 100),
        /The package is truncated: the header describes \d+ bytes, the file has \d+\./,
      ],
    ])('for %s', async (_name, tamper, message) => {
      pack();
      tamper();
      await expectImportRefused(env, file, message, canary.needles);
    });

    it('for the wrong device key, naming both keys', async () => {
      const other = generateDeviceKey();
      writeTestPackage(file, {
        recipient: other.publicKey,
        clips: [{ id: 'c-AAAAAAAAAAAAAAA1', audio: canary.audio, durationMs: canary.durationMs, asrText: canary.text }],
      });
      const keyId = env.services.vault.deviceKey().keyId;
      await expectImportRefused(
        env,
        file,
        new RegExp(`The package was made for workstation key ${other.keyId}; this workstation's key is ${keyId}\\.`),
        canary.needles,
      );
    });

    it('for the wrong device key even when the key id is forged to match', async () => {
      const other = generateDeviceKey();
      writeTestPackage(file, {
        recipient: other.publicKey,
        clips: [{ id: 'c-AAAAAAAAAAAAAAA1', audio: canary.audio, durationMs: canary.durationMs, asrText: canary.text }],
      });
      rewriteHeader(file, (h) => ({
        ...h,
        recipient: { ...h.recipient, keyId: env.services.vault.deviceKey().keyId },
      }));
      await expectImportRefused(env, file, UNWRAP_FAILED, canary.needles);
    });
  });

  it('refuses a flipped bit anywhere in the preamble, header and header tag, and answers one anywhere else with a refusal or a quarantine', async () => {
    pack();
    const original = readFileSync(file);
    const tagged = detailsOffset(file);
    const device = env.services.vault.deviceKey();
    const outcomes = { refused: 0, quarantined: 0, accepted: [] as string[] };
    const flipped = env.input('flipped.earmark');
    const outcomeOf = (offset: number, bit: number): 'refused' | 'quarantined' | 'accepted' => {
      const bytes = Buffer.from(original);
      bytes[offset] = (bytes[offset] ?? 0) ^ (1 << bit);
      writeFileSync(flipped, bytes);
      try {
        const kinds: string[] = [];
        readPackage(flipped, { device, now: Date.now() }, { onClip: (o) => kinds.push(o.kind) }).batchKey.fill(0);
        return kinds.includes('quarantined') ? 'quarantined' : 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(PackageRefusedError);
        return 'refused';
      }
    };
    // Two bits of every byte up to the end of the header tag, the low bit and one that moves
    // through the other seven: each flip is refused.
    for (let offset = 0; offset < tagged; offset += 1) {
      for (const bit of [0, 1 + (offset % 7)]) {
        const outcome = outcomeOf(offset, bit);
        if (outcome !== 'refused') {
          outcomes.accepted.push(`byte ${offset} bit ${bit}: ${outcome}`);
        }
      }
    }
    expect(outcomes.accepted).toEqual([]);
    // Then one bit of every 61st byte of the details and clips: refused or quarantined.
    for (let offset = tagged; offset < original.length; offset += 61) {
      const outcome = outcomeOf(offset, offset % 8);
      if (outcome === 'accepted') {
        outcomes.accepted.push(`byte ${offset}`);
      } else {
        outcomes[outcome] += 1;
      }
    }
    expect(outcomes.accepted).toEqual([]);
    expect(outcomes.quarantined).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
    await env.expectSurvived();
    env.expectNothingReadable(canary.needles);
  }, 30_000);
});

/** Where the details ciphertext starts: after the preamble, the header and the header tag. */
function detailsOffset(file: string): number {
  return PREAMBLE_BYTES + parsePackage(file).headerBytes.length + HEADER_TAG_BYTES;
}
