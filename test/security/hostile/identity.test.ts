/**
 * Identity refused by value: an id that is not the one opaque form, or that hides a card number,
 * and a free-text hint holding an e-mail address, a phone number, a card number or a device
 * serial are refused when the operator packs them, when a workstation imports a package that a
 * rogue packer wrote with them, and when the service is asked to take them in. Each refusal names
 * the field (and the clip list's line) and never quotes a refused hint back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBatchCli } from '../../../tools/batch';
import { batchIntakeProblem } from '../../../service/seed';
import { runCli } from '../../support/run-cli';
import { sineWav, writeTestPackage } from '../../support/packages';
import { makeTempDir } from '../../support/temp-dir';
import { expectImportRefused, makeCanary, makeHostileEnv, type HostileEnv } from './hostile-env';

const GOOD_CLIP = 'c-AAAAAAAAAAAA0001';
const GOOD_BATCH = 'b-AAAAAAAAAAAA0001';
const FORMAT = /is "c-" and 16 characters of 0-9 and A-Z without I, L, O or U \(Crockford base 32, upper case\)/;
const BATCH_FORMAT = /a batch id is "b-" and 16 characters of 0-9 and A-Z without I, L, O or U/;
const CARD_IN_ID = /must not hold a run of 13 or more digits that passes the Luhn check \(a card number\)/;

type BadId = { readonly label: string; readonly id: string; readonly problem: RegExp };

/** One malformed clip id per way an id can be wrong; the batch cases reuse the bodies with `b-`. */
const badClipIds: readonly BadId[] = [
  { label: 'a name and an account number', id: 'jane-doe-acct-4485001234567890', problem: FORMAT },
  { label: 'lower case', id: 'c-aaaaaaaaaaaa0001', problem: FORMAT },
  { label: '15 characters', id: 'c-AAAAAAAAAAA0001', problem: FORMAT },
  { label: '17 characters', id: 'c-AAAAAAAAAAAAA0001', problem: FORMAT },
  { label: 'an I, which Crockford base 32 leaves out', id: 'c-AAAAAAAAAAAAI001', problem: FORMAT },
  { label: 'an L', id: 'c-AAAAAAAAAAAAL001', problem: FORMAT },
  { label: 'an O', id: 'c-AAAAAAAAAAAAO001', problem: FORMAT },
  { label: 'a U', id: 'c-AAAAAAAAAAAAU001', problem: FORMAT },
  { label: 'a batch prefix on a clip', id: 'b-AAAAAAAAAAAA0001', problem: FORMAT },
  { label: 'no prefix', id: 'AAAAAAAAAAAAAA0001', problem: FORMAT },
  { label: 'a card number in the right form', id: 'c-4111111111111111', problem: CARD_IN_ID },
  { label: 'a 13-digit card number behind letters', id: 'c-AAA4222222222222', problem: CARD_IN_ID },
];

type BadHint = { readonly label: string; readonly domain: string; readonly kind: string };

/** One domain hint per pattern of identity the hint check looks for. */
const badHints: readonly BadHint[] = [
  { label: 'an e-mail address', domain: 'support jane.doe@example.com', kind: 'an e-mail address' },
  { label: 'a phone number with + and brackets', domain: 'call +44 (20) 7946-0958', kind: 'a phone number' },
  { label: 'a phone number of seven digits with a dash', domain: 'ext 555-0100', kind: 'a phone number' },
  { label: 'a card number in groups', domain: 'card 4111 1111 1111 1111', kind: 'a card number' },
  { label: 'an account number', domain: 'Jane Doe acct 12345678 serial G090LF', kind: 'a phone number' },
  { label: 'a device serial shape', domain: 'kitchen unit G090LF', kind: 'a device serial' },
  { label: 'a serial number', domain: 'speaker SN 4471', kind: 'a device serial' },
  { label: 'a MAC address', domain: 'hub 00:1A:2B:3C:4D:5E', kind: 'a device serial' },
];

const hintMessage = (kind: string) => `holds what looks like ${kind}; hints carry no personal details`;

describe('identity refused by value', () => {
  describe('when the operator packs (npm run batch -- pack), naming the field and line', () => {
    let tmp: { dir: string; remove: () => void };
    beforeEach(() => {
      tmp = makeTempDir();
      mkdirSync(join(tmp.dir, 'audio'));
      writeFileSync(join(tmp.dir, 'audio', 'clip.wav'), sineWav());
      expect(runCli(runBatchCli, ['keygen', '--out', join(tmp.dir, 'keys')]).code).toBe(0);
    });
    afterEach(() => tmp.remove());

    const pack = (rows: readonly string[], extra: readonly string[] = []) => {
      writeFileSync(
        join(tmp.dir, 'clips.tsv'),
        ['clip_id\tfile\tasr_text\tconsent\tlocale\tdomain', ...rows].join('\n'),
      );
      const args = ['--audio', join(tmp.dir, 'audio'), '--clips', join(tmp.dir, 'clips.tsv')];
      const keys = ['--device-key', join(tmp.dir, 'keys', 'device.pub'), '--out', join(tmp.dir, 'out.earmark')];
      return runCli(runBatchCli, ['pack', ...args, ...keys, ...extra]);
    };

    it.each(badClipIds)('refuses $label as a clip id', ({ id, problem }) => {
      const r = pack([`${GOOD_CLIP}\tclip.wav\thi\tgranted\ten-US\t`, `${id}\tclip.wav\thi\tgranted\ten-US\t`]);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`error: line 3: clip_id "${id}" is refused: `);
      expect(r.out).toMatch(problem);
      expect(r.out).not.toContain('packed batch');
    });

    it.each(badClipIds)('refuses $label as a batch id given with --batch-id', ({ id, problem }) => {
      const batchId = id.replace(/^c-/, 'b-').replace(/^b-AAAAAAAAAAAA0001$/, 'c-AAAAAAAAAAAA0001');
      const r = pack([`${GOOD_CLIP}\tclip.wav\thi\tgranted\ten-US\t`], ['--batch-id', batchId]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--batch-id is refused: ');
      expect(r.err).toMatch(problem === FORMAT ? BATCH_FORMAT : CARD_IN_ID);
    });

    it.each(badHints)('refuses a domain hint holding $label, without quoting it', ({ domain, kind }) => {
      const r = pack([
        `${GOOD_CLIP}\tclip.wav\thi\tgranted\ten-US\tweather`,
        `c-AAAAAAAAAAAA0002\tclip.wav\thi\tgranted\ten-US\t${domain}`,
      ]);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`error: line 3: domain ${hintMessage(kind)}.`);
      expect(r.out).not.toContain(domain);
    });

    it('packs ids of the one form and plain domain hints, and makes a batch id of that form', () => {
      const r = pack([`${GOOD_CLIP}\tclip.wav\thi\tgranted\ten-US\tsmart home`]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/packed batch b-[0-9A-HJKMNP-TV-Z]{16}: 1 clips/);
    });
  });

  describe('when a workstation imports a package a rogue packer wrote', () => {
    let env: HostileEnv;
    beforeEach(() => {
      env = makeHostileEnv();
    });
    afterEach(() => env.dispose());

    it.each(badClipIds)('refuses the package whole for $label as a clip id', async ({ id, problem }) => {
      const canary = makeCanary('identity');
      const file = env.input('identity.earmark');
      writeTestPackage(file, {
        recipient: env.recipient(),
        clips: [{ id, audio: canary.audio, durationMs: canary.durationMs, asrText: canary.text }],
      });
      const message = await expectImportRefused(env, file, /The header clips\.0\.id: /, canary.needles);
      expect(message).toMatch(problem);
    });

    it.each(badClipIds)('refuses the package whole for $label as a batch id', async ({ id, problem }) => {
      const canary = makeCanary('identity');
      const file = env.input('identity.earmark');
      const batchId = id.replace(/^c-/, 'b-').replace(/^b-AAAAAAAAAAAA0001$/, 'c-AAAAAAAAAAAA0001');
      writeTestPackage(file, {
        recipient: env.recipient(),
        batchId,
        clips: [{ id: GOOD_CLIP, audio: canary.audio, durationMs: canary.durationMs, asrText: canary.text }],
      });
      const message = await expectImportRefused(env, file, /The header batchId: /, canary.needles);
      expect(message).toMatch(problem === FORMAT ? BATCH_FORMAT : CARD_IN_ID);
    });

    it.each(badHints)('refuses the package whole for a domain hint holding $label', async ({ domain, kind }) => {
      const canary = makeCanary('identity');
      const file = env.input('identity.earmark');
      writeTestPackage(file, {
        recipient: env.recipient(),
        clips: [
          { id: GOOD_CLIP, audio: canary.audio, durationMs: canary.durationMs, asrText: canary.text },
          { id: 'c-AAAAAAAAAAAA0002', hints: { domain } },
        ],
      });
      const message = await expectImportRefused(
        env,
        file,
        /The clip details clips\.1\.hints\.domain: /,
        canary.needles,
      );
      expect(message).toContain(hintMessage(kind));
      expect(message).not.toContain(domain);
    });
  });

  describe('when the service is asked to take a batch in', () => {
    const clip = (id: string, domain?: string) => ({
      details: {
        id,
        durationMs: 300,
        codec: 'wav' as const,
        asrText: 'hi',
        consent: 'granted' as const,
        ...(domain === undefined ? {} : { hints: { domain } }),
      },
      audio: sineWav(),
    });

    it.each(badClipIds)('refuses $label as a clip id, naming the field', ({ id, problem }) => {
      const refused = batchIntakeProblem({ batchId: GOOD_BATCH, clips: [clip(GOOD_CLIP), clip(id)] });
      expect(refused).toMatch(/^clips\[1\]\.id: /);
      expect(refused).toMatch(problem);
    });

    it.each(badClipIds)('refuses $label as a batch id, naming the field', ({ id }) => {
      const batchId = id.replace(/^c-/, 'b-').replace(/^b-AAAAAAAAAAAA0001$/, 'c-AAAAAAAAAAAA0001');
      expect(batchIntakeProblem({ batchId, clips: [clip(GOOD_CLIP)] })).toMatch(/^batchId: /);
    });

    it.each(badHints)('refuses a domain hint holding $label', ({ domain, kind }) => {
      const refused = batchIntakeProblem({ batchId: GOOD_BATCH, clips: [clip(GOOD_CLIP, domain)] });
      expect(refused).toBe(`clips[0].hints.domain: ${hintMessage(kind)}.`);
    });

    it('takes in a batch of well-formed ids and plain hints', () => {
      expect(batchIntakeProblem({ batchId: GOOD_BATCH, clips: [clip(GOOD_CLIP, 'weather')] })).toBeUndefined();
    });
  });
});
