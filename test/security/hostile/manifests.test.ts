/**
 * Hostile manifests: every package here is refused whole with its own message, main keeps
 * answering, the reviewer's saved work is untouched, and the planted transcript and audio never
 * reach the data folder.
 */
import type { KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'vitest';
import {
  assemblePackage,
  clipDetails,
  detailsJson,
  rewriteHeader,
  rewriteHeaderBytes,
  setDeclaredHeaderLength,
  truncatePackage,
  writeTestPackage,
  type TestClip,
} from '../../support/packages';
import {
  expectImportRefused,
  makeCanary,
  makeHostileEnv,
  SAVED_BATCH,
  type Canary,
  type HostileEnv,
} from './hostile-env';

type Make = (file: string, canary: Canary, recipient: KeyObject) => void;
type Case = { readonly name: string; readonly make: Make; readonly message: RegExp };

const canaryClip = (c: Canary): TestClip => ({
  id: 'c-AAAAAAAAAAAAAAA1',
  audio: c.audio,
  durationMs: c.durationMs,
  asrText: c.text,
});

/** A well-formed package carrying the canary, then edited by `edit`. */
const goodThen =
  (edit: (file: string) => void): Make =>
  (file, c, recipient) => {
    writeTestPackage(file, { recipient, clips: [canaryClip(c), { id: 'c-AAAAAAAAAAAAAAA2' }] });
    edit(file);
  };

/** A package whose details plaintext is exactly `details(canary)`, sealed correctly. */
const withDetails =
  (details: (c: Canary) => string | Buffer): Make =>
  (file, c, recipient) =>
    assemblePackage(file, { recipient, clips: [{ id: 'c-AAAAAAAAAAAAAAA1', audio: c.audio }], details: details(c) });

/** The canary clip's details entry with `extra` laid over it. */
const entry = (c: Canary, extra: Record<string, unknown>) => ({ ...clipDetails(canaryClip(c)), ...extra });
const withEntry = (extra: Record<string, unknown>): Make => withDetails((c) => detailsJson([entry(c, extra)]));

const cases: Record<string, readonly Case[]> = {
  'invalid JSON': [
    {
      name: 'a header cut off inside its JSON',
      make: goodThen((f) => rewriteHeaderBytes(f, (b) => b.subarray(0, b.length - 2))),
      message: /The header is not valid JSON \(/,
    },
    {
      name: 'a header that is a web page',
      make: goodThen((f) => rewriteHeaderBytes(f, () => Buffer.from('<html><script>alert(1)</script></html>'))),
      message: /The header is not valid JSON/,
    },
    {
      name: 'details that are not JSON',
      make: withDetails((c) => `{"clips":[{"id":"c-AAAAAAAAAAAAAAA1","asrText":"${c.text}"`),
      message: /The clip details is not valid JSON/,
    },
    {
      name: 'a literal NaN in the details',
      make: withDetails((c) =>
        JSON.stringify({ clips: [entry(c, {})] }).replace('"durationMs":128', '"durationMs":NaN'),
      ),
      message: /The clip details is not valid JSON/,
    },
    {
      name: 'details that are not UTF-8',
      make: withDetails((c) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(c.text)])),
      message: /The clip details is not valid UTF-8\./,
    },
  ],
  'byte-order marks': [
    {
      name: 'a UTF-8 byte-order mark on the header',
      make: goodThen((f) => rewriteHeaderBytes(f, (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]))),
      message: /The header starts with a byte-order mark; it must be plain UTF-8 JSON\./,
    },
    {
      name: 'a UTF-8 byte-order mark on the details',
      make: withDetails((c) => `\ufeff${detailsJson([entry(c, {})])}`),
      message: /The clip details starts with a byte-order mark/,
    },
    {
      name: 'a UTF-16 header with its byte-order mark',
      make: goodThen((f) => rewriteHeaderBytes(f, (b) => Buffer.from(`\ufeff${b.toString('utf8')}`, 'utf16le'))),
      message: /The header is not valid UTF-8\./,
    },
  ],
  truncation: [
    {
      name: 'a package one byte short',
      make: goodThen((f) => truncatePackage(f, 1)),
      message: /The package is truncated: the header describes \d+ bytes, the file has \d+\./,
    },
    {
      name: 'a package cut inside its header',
      make: goodThen((f) => setDeclaredHeaderLength(f, 3_000_000)),
      message: /The package is truncated inside its header\./,
    },
    {
      name: 'a package of five bytes',
      make: goodThen((f) => truncatePackage(f, Number.MAX_SAFE_INTEGER)),
      message: /The file is too short to be a batch package\./,
    },
    {
      name: 'an empty file',
      make: (f) => writeFileSync(f, Buffer.alloc(0)),
      message: /The file is too short to be a batch package\./,
    },
  ],
  'wrong types': [
    {
      name: 'a clip list that is an object',
      make: goodThen((f) => rewriteHeader(f, (h) => ({ ...h, clips: { 0: h.clips[0] } }))),
      message: /The header clips: Invalid input: expected array, received object\./,
    },
    {
      name: 'a batch id that is a number',
      make: goodThen((f) => rewriteHeader(f, (h) => ({ ...h, batchId: 42 }))),
      message: /The header batchId: Invalid input: expected string, received number\./,
    },
    {
      name: 'a size that is a string',
      make: goodThen((f) =>
        rewriteHeader(f, (h) => ({ ...h, details: { ...h.details, size: String(h.details.size) } })),
      ),
      message: /The header details\.size: Invalid input: expected number, received string\./,
    },
    {
      name: 'ASR text that is a number',
      make: withEntry({ asrText: 1234 }),
      message: /The clip details clips\.0\.asrText: Invalid input: expected string, received number\./,
    },
    {
      name: 'consent that is a boolean',
      make: withEntry({ consent: true }),
      message: /The clip details clips\.0\.consent: Invalid option: expected one of "granted"\|"withdrawn"\./,
    },
    {
      name: 'hints that are a list',
      make: withEntry({ hints: ['tv'] }),
      message: /The clip details clips\.0\.hints: Invalid input: expected object, received array\./,
    },
  ],
  durations: [
    {
      name: 'a NaN duration (JSON null)',
      make: withEntry({ durationMs: NaN }),
      message: /The clip details clips\.0\.durationMs: Invalid input: expected number, received null\./,
    },
    {
      name: 'an infinite duration (1e400)',
      make: withDetails((c) =>
        JSON.stringify({ clips: [entry(c, {})] }).replace('"durationMs":128', '"durationMs":1e400'),
      ),
      message: /The clip details clips\.0\.durationMs: Invalid input: expected number/,
    },
    {
      name: 'a negative duration',
      make: withEntry({ durationMs: -128 }),
      message: /The clip details clips\.0\.durationMs: Too small: expected number to be >0\./,
    },
    {
      name: 'a zero duration',
      make: withEntry({ durationMs: 0 }),
      message: /The clip details clips\.0\.durationMs: Too small: expected number to be >0\./,
    },
    {
      name: 'a duration of ten hours',
      make: withEntry({ durationMs: 36_000_000 }),
      message: /The clip details clips\.0\.durationMs: Too big: expected number to be <=600000\./,
    },
    {
      name: 'a huge duration',
      make: withEntry({ durationMs: 1e300 }),
      message: /The clip details clips\.0\.durationMs: Too big: expected number to be <=600000\./,
    },
    {
      name: 'a fractional duration',
      make: withEntry({ durationMs: 127.5 }),
      message: /The clip details clips\.0\.durationMs: Invalid input: expected int, received number\./,
    },
    {
      name: 'a duration that is a string',
      make: withEntry({ durationMs: '128' }),
      message: /The clip details clips\.0\.durationMs: Invalid input: expected number, received string\./,
    },
  ],
  'duplicate ids': [
    {
      name: 'the same clip id twice in the header',
      make: (f, c, recipient) =>
        writeTestPackage(f, {
          recipient,
          clips: [canaryClip(c), { id: 'c-AAAAAAAAAAAAAAA2' }, { ...canaryClip(c), asrText: 'again' }],
        }),
      message: /Clip id "c-AAAAAAAAAAAAAAA1" appears more than once\./,
    },
    {
      name: 'details that repeat one clip in place of another',
      make: (f, c, recipient) =>
        assemblePackage(f, {
          recipient,
          clips: [
            { id: 'c-AAAAAAAAAAAAAAA1', audio: c.audio },
            { id: 'c-AAAAAAAAAAAAAAA2', audio: c.audio },
          ],
          details: detailsJson([entry(c, {}), entry(c, {})]),
        }),
      message: /The clip details do not list the same clips, in the same order, as the header\./,
    },
    {
      name: 'the id of the batch already holding saved work',
      make: (f, c, recipient) =>
        writeTestPackage(f, {
          recipient,
          batchId: SAVED_BATCH,
          clips: [{ ...canaryClip(c), id: 'c-AAAAAAAAAAAASAV1' }],
        }),
      message: /Batch "b-AAAAAAASAVEDW0RK" is already on this workstation\./,
    },
  ],
  'identity-like fields': [
    {
      name: 'an e-mail field on a header clip',
      make: goodThen((f) =>
        rewriteHeader(f, (h) => ({
          ...h,
          clips: h.clips.map((x, i) => (i === 1 ? { ...x, customerEmail: 'a@example.com' } : x)),
        })),
      ),
      message:
        /The header has an identity-like field "clips\[1\]\.customerEmail"; batches carry pseudonymous ids only\./,
    },
    {
      name: 'a device serial at the top of the header',
      make: goodThen((f) => rewriteHeader(f, (h) => ({ ...h, deviceSerial: 'SN-1' }))),
      message: /identity-like field "deviceSerial"/,
    },
    {
      name: "a speaker's name in the hints",
      make: withEntry({ hints: { speakerName: 'Ada' } }),
      message: /The clip details has an identity-like field "clips\[0\]\.hints\.speakerName"/,
    },
    {
      name: 'coordinates on a clip',
      make: withEntry({ gps: { lat: 51.5, lon: -0.1 } }),
      message: /The clip details has an identity-like field "clips\[0\]\.gps"/,
    },
    {
      name: 'a phone number on a clip',
      make: withEntry({ callerPhoneNumber: '+15555550100' }),
      message: /identity-like field "clips\[0\]\.callerPhoneNumber"/,
    },
    {
      name: 'a date of birth on a clip',
      make: withEntry({ dateOfBirth: '1970-01-01' }),
      message: /identity-like field "clips\[0\]\.dateOfBirth"/,
    },
    {
      name: 'a postal address on a clip',
      make: withEntry({ postalAddress: '1 Main St' }),
      message: /identity-like field "clips\[0\]\.postalAddress"/,
    },
  ],
};

describe('hostile manifests', () => {
  let env: HostileEnv;
  beforeEach(() => {
    env = makeHostileEnv();
  });
  afterEach(() => env.dispose());

  for (const [group, list] of Object.entries(cases)) {
    describe(group, () => {
      it.each(list)('refuses $name with its own message and loses nothing', async ({ make, message }) => {
        const canary = makeCanary('manifest');
        const file = env.input('hostile.earmark');
        make(file, canary, env.recipient());
        await expectImportRefused(env, file, message, canary.needles);
      });
    });
  }
});
