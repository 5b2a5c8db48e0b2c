/**
 * Hostile text: markup, script URLs, bidi overrides, controls and a one-megabyte line, as ASR
 * hypotheses in a package and as strings in IPC payloads. Each is either refused with a specific
 * error or stored and handed back exactly as it came; how the page shows them is checked in
 * test/e2e/hostile-text.spec.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Needle } from '../../support/disk-scan';
import { textNeedles } from '../../support/disk-scan';
import { hostileTexts, megabyteLine } from '../../support/hostile-strings';
import { assemblePackage, clipDetails, detailsJson, writeTestPackage } from '../../support/packages';
import { expectImportRefused, makeCanary, makeHostileEnv, type HostileEnv } from './hostile-env';

const BATCH = 'b-AAAAAH0ST11ETEXT';
const HOSTILE_DOMAIN = '<img src=x onerror=alert(1)>';
const texts = Object.entries(hostileTexts);

/** Encodable as UTF-8 as it is: no lone surrogate. */
const wellFormed = (t: string): boolean => Buffer.from(t, 'utf8').toString('utf8') === t;

/** Long enough that finding one in random ciphertext by chance is out of the question. */
const needlesOf = (list: readonly string[]): Needle[] =>
  list.filter((t) => t.length >= 24 && wellFormed(t)).flatMap((t, i) => textNeedles(`hostile text ${i}`, t));

/** The value of a call that must have succeeded. */
const valueOf = (result: unknown): unknown => {
  expect(result).toMatchObject({ ok: true });
  return (result as { ok: true; value: unknown }).value;
};

describe('hostile text', () => {
  let env: HostileEnv;
  beforeEach(() => {
    env = makeHostileEnv();
  });
  afterEach(() => env.dispose());

  const importTextBatch = (): void => {
    const file = env.input('text.earmark');
    writeTestPackage(file, {
      recipient: env.recipient(),
      batchId: BATCH,
      clips: texts.map(([, text], i) => ({
        id: `c-AAAAAAAAAAAAAT${String(i).padStart(2, '0')}`,
        asrText: text,
        hints: { domain: HOSTILE_DOMAIN, deviceType: 'tv' },
      })),
    });
    expect(env.services.vault.importPackage(file)).toMatchObject({ imported: texts.length, quarantined: [] });
  };

  describe('as ASR hypotheses in a package', () => {
    it('stores each hypothesis and hands it back exactly, code unit for code unit', async () => {
      importTextBatch();
      for (const [i, [, text]] of texts.entries()) {
        const clip = valueOf(
          await env.invoke('clips:open', { batchId: BATCH, clipId: `c-AAAAAAAAAAAAAT${String(i).padStart(2, '0')}` }),
        ) as {
          asrText: string;
          hints: unknown;
        };
        expect(clip.asrText).toBe(text);
        expect(clip.hints).toEqual({ domain: HOSTILE_DOMAIN, deviceType: 'tv' });
      }
      await env.expectSurvived();
      env.expectNothingReadable([
        ...needlesOf(texts.map(([, t]) => t)),
        ...textNeedles('hostile domain', HOSTILE_DOMAIN),
      ]);
    });

    it('takes a single line of 4,000 characters, the most a hypothesis may hold', async () => {
      const line = megabyteLine().slice(0, 4_000);
      const file = env.input('long.earmark');
      writeTestPackage(file, {
        recipient: env.recipient(),
        batchId: BATCH,
        clips: [{ id: 'c-AAAAAAAAAAAA10NG', asrText: line }],
      });
      env.services.vault.importPackage(file);
      expect(
        (
          valueOf(await env.invoke('clips:open', { batchId: BATCH, clipId: 'c-AAAAAAAAAAAA10NG' })) as {
            asrText: string;
          }
        ).asrText,
      ).toBe(line);
      await env.expectSurvived();
    });

    it('refuses a one-megabyte single-line hypothesis by name', async () => {
      const canary = makeCanary('text');
      const file = env.input('megabyte.earmark');
      assemblePackage(file, {
        recipient: env.recipient(),
        clips: [{ id: 'c-AAAAAAAAAAAAAAA1', audio: canary.audio }],
        details: detailsJson([
          clipDetails({
            id: 'c-AAAAAAAAAAAAAAA1',
            durationMs: canary.durationMs,
            asrText: `${canary.text} ${megabyteLine()}`,
          }),
        ]),
      });
      await expectImportRefused(
        env,
        file,
        /The clip details clips\.0\.asrText: Too big: expected string to have <=4000 characters\./,
        canary.needles,
      );
    });

    it('refuses markup longer than a domain hint may be', async () => {
      const canary = makeCanary('text');
      const file = env.input('domain.earmark');
      assemblePackage(file, {
        recipient: env.recipient(),
        clips: [{ id: 'c-AAAAAAAAAAAAAAA1', audio: canary.audio }],
        details: detailsJson([
          clipDetails({
            id: 'c-AAAAAAAAAAAAAAA1',
            durationMs: canary.durationMs,
            asrText: canary.text,
            hints: { domain: hostileTexts.markupLink },
          }),
        ]),
      });
      await expectImportRefused(
        env,
        file,
        /The clip details clips\.0\.hints\.domain: Too big: expected string to have <=64 characters\./,
        canary.needles,
      );
    });
  });

  describe('in IPC payloads', () => {
    beforeEach(importTextBatch);

    it.each(texts.map(([name, text], i) => ({ name, text, clipId: `c-AAAAAAAAAAAAAT${String(i).padStart(2, '0')}` })))(
      'stores the $name text as a draft, a revision, an entity link and a note, byte for byte',
      async ({ text, clipId }) => {
        const ref = { batchId: BATCH, clipId };
        const body = {
          transcript: text,
          critical: [{ start: 0, end: 1, category: 'other' }],
          entities: [{ start: 0, end: 2, type: 'artist', kbId: text.slice(0, 128) }],
        };
        valueOf(
          await env.invoke('annotations:saveDraft', { ...ref, basedOnRevision: 0, body, disposition: 'transcribed' }),
        );
        const work = valueOf(await env.invoke('annotations:work', ref)) as { draft: typeof body };
        expect(work.draft).toMatchObject(body);
        expect(work.draft.transcript).toBe(text);

        const revision = valueOf(
          await env.invoke('annotations:submit', { ...ref, basedOnRevision: 0, disposition: 'transcribed', body }),
        ) as typeof body;
        expect(revision.transcript).toBe(text);
        const [stored] = valueOf(await env.invoke('annotations:history', ref)) as (typeof body)[];
        expect(stored).toMatchObject(body);
        expect(stored?.transcript).toBe(text);

        valueOf(await env.invoke('escalations:create', { ...ref, category: 'other', note: text }));
        await env.expectSurvived();
        env.expectNothingReadable(needlesOf([text]));
      },
    );

    it('refuses a one-megabyte single line in any text field with a validation error and saves nothing', async () => {
      const line = megabyteLine();
      const ref = { batchId: BATCH, clipId: 'c-AAAAAAAAAAAAAT00' };
      const body = (over: Record<string, unknown>) => ({
        transcript: 'c-AAAAAAAAAAAAF1NE',
        critical: [],
        entities: [],
        ...over,
      });
      const refusals: [string, unknown, string][] = [
        [
          'annotations:saveDraft',
          { ...ref, basedOnRevision: 0, disposition: null, body: body({ transcript: line }) },
          'body.transcript: Too big: expected string to have <=10000 characters',
        ],
        [
          'annotations:submit',
          { ...ref, basedOnRevision: 0, disposition: 'transcribed', body: body({ transcript: line }) },
          'body.transcript: Too big: expected string to have <=10000 characters',
        ],
        [
          'annotations:saveDraft',
          {
            ...ref,
            basedOnRevision: 0,
            disposition: null,
            body: body({ entities: [{ start: 0, end: 1, type: 'song', kbId: line }] }),
          },
          'body.entities.0.kbId: Too big: expected string to have <=128 characters',
        ],
        [
          'escalations:create',
          { ...ref, category: 'self_harm', note: line },
          'note: Too big: expected string to have <=4000 characters',
        ],
      ];
      for (const [channel, payload, issue] of refusals) {
        expect(await env.invoke(channel, payload)).toEqual({
          ok: false,
          error: { code: 'BAD_REQUEST', message: `Invalid request for "${channel}": ${issue}.` },
        });
      }
      expect(valueOf(await env.invoke('annotations:work', ref))).toEqual({ latest: null, draft: null });
      await env.expectSurvived();
    });

    it('refuses markup as an entity type', async () => {
      const ref = { batchId: BATCH, clipId: 'c-AAAAAAAAAAAAAT00' };
      const body = { transcript: 'play jazz', critical: [], entities: [{ start: 0, end: 4, type: '<script>' }] };
      expect(
        await env.invoke('annotations:saveDraft', { ...ref, basedOnRevision: 0, disposition: null, body }),
      ).toEqual({
        ok: false,
        error: {
          code: 'BAD_REQUEST',
          message:
            'Invalid request for "annotations:saveDraft": body.entities.0.type: an entity type is a short lower-case word.',
        },
      });
      await env.expectSurvived();
    });

    it('refuses a payload that smuggles a __proto__ field, and pollutes nothing', async () => {
      const payload = JSON.parse(
        `{"batchId":"${BATCH}","clipId":"c-AAAAAAAAAAAAAT00","__proto__":{"polluted":"yes"}}`,
      ) as unknown;
      expect(await env.invoke('annotations:work', payload)).toEqual({
        ok: false,
        error: {
          code: 'BAD_REQUEST',
          message: 'Invalid request for "annotations:work": Unrecognized key: "__proto__".',
        },
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await env.expectSurvived();
    });
  });
});
