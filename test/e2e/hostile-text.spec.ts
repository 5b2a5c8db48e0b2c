/**
 * Hostile ASR hypotheses in the real renderer: markup, script URLs, bidi overrides, controls and
 * the longest line a package may carry are shown as text in a direction-isolated editor, run
 * nothing, inject nothing, and leave the review loop working — on clips of pure silence, which
 * are heard in full and submitted like any other. A one-megabyte line is refused at import and
 * cut to the transcript limit when pasted.
 */
import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_TRANSCRIPT_CHARS } from '../../shared/domain/annotation';
import { hostileTexts, megabyteLine } from '../support/hostile-strings';
import { assemblePackage, clipDetails, detailsJson, silenceWav, writeTestPackage } from '../support/packages';
import { expect, test, type AppHarness } from './support/harness';
import { testClipId } from '../support/ids';

const HUGE_CLIP = 'c-AAAAAAAAAAAAHVGE';

const BATCH = 'b-AAAAAAH0ST11EE2E';

type WatchedWindow = Window & { __earmarkPwned?: unknown; __violations?: string[] };

/** Records CSP violations; the hostile texts themselves set window.__earmarkPwned if they ever run. */
async function watchPage(page: Page): Promise<string[]> {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as WatchedWindow;
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__violations?.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  return dialogs;
}

/** Imports one batch of silent clips whose hypotheses are the given texts, in order. */
function importHostileBatch(app: AppHarness, texts: readonly string[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'earmark-hostile-e2e-'));
  try {
    const file = join(dir, 'hostile.earmark');
    writeTestPackage(file, {
      recipient: app.services.vault.deviceKey().publicKey,
      batchId: BATCH,
      clips: texts.map((asrText, i) => ({ id: testClipId(i), audio: silenceWav(400), durationMs: 400, asrText })),
    });
    expect(app.services.vault.importPackage(file)).toMatchObject({ imported: texts.length, quarantined: [] });

    // The same silence with a one-megabyte hypothesis never gets in.
    const huge = join(dir, 'huge.earmark');
    assemblePackage(huge, {
      recipient: app.services.vault.deviceKey().publicKey,
      batchId: 'b-AAAAAAAAMEGABYTE',
      clips: [{ id: HUGE_CLIP, audio: silenceWav(400) }],
      details: detailsJson([clipDetails({ id: HUGE_CLIP, durationMs: 400, asrText: megabyteLine() })]),
    });
    expect(() => app.services.vault.importPackage(huge)).toThrow(
      /clips\.0\.asrText: Too big: expected string to have <=4000 characters/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function openBatch(page: Page): Promise<void> {
  const open = page.locator('button.batch-open').first();
  await expect(open).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#transcript')).toBeFocused();
}

/** Nothing the hypotheses spell out became an element, and no inline script exists at all. */
async function expectNothingInjected(page: Page): Promise<void> {
  await expect(
    page.locator('img, iframe, object, embed, a[href], #hostile-link, svg script, script:not([src])'),
  ).toHaveCount(0);
  expect(await page.evaluate(() => (window as WatchedWindow).__earmarkPwned)).toBeUndefined();
}

/** The transcript box holds exactly `text`, isolated in direction, and the diff is plain words. */
async function expectShownAsText(page: Page, text: string): Promise<void> {
  const box = page.locator('#transcript');
  await expect(box).toHaveAttribute('dir', 'auto');
  expect(await box.evaluate((el: HTMLTextAreaElement) => el.value)).toBe(text);
  const diff = page.getByTestId('diff');
  await expect(diff).toHaveAttribute('dir', 'auto');
  // Only the diff's own word markup; no bidi control survives into it.
  await expect(diff.locator(':scope *:not(span):not(ins):not(del)')).toHaveCount(0);
  expect(await diff.textContent()).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
}

test.describe('hostile text in the review screen', () => {
  test('shows every hostile hypothesis as inert, isolated text and keeps the loop working on silence', async ({
    page,
    app,
  }) => {
    const dialogs = await watchPage(page);
    const texts = [...Object.values(hostileTexts), megabyteLine().slice(0, 4_000)];
    importHostileBatch(app, texts);
    await app.open({ demo: false });
    await openBatch(page);

    for (const [i, text] of texts.entries()) {
      await expect(page.getByTestId('clip-id')).toHaveText(testClipId(i));
      await expectShownAsText(page, text);
      await expectNothingInjected(page);
      if (i < texts.length - 1) {
        await page.keyboard.press('Control+BracketRight');
      }
    }

    // Typing still works on the longest line, and the draft is what was typed, byte for byte.
    const last = texts.length - 1;
    const box = page.locator('#transcript');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ok');
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
    expect(app.services.annotations.work(BATCH, testClipId(last)).draft?.transcript).toBe(`${texts[last]} ok`);

    // Back on the first clip: pure silence is heard in full and submitted with its hostile text.
    for (let i = last - 1; i >= 0; i -= 1) {
      await page.keyboard.press('Control+BracketLeft');
      await expect(page.getByTestId('clip-id')).toHaveText(testClipId(i));
    }
    await expect(box).toBeFocused();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ok');
    const rate = page.getByTestId('rate');
    while ((await rate.textContent()) !== 'Speed 2.0×') {
      await page.keyboard.press('Control+Period');
    }
    await expect(page.getByTestId('heard')).toHaveText('Heard in full', { timeout: 15_000 });
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('clip-id')).toHaveText(testClipId(1));
    expect(app.services.annotations.history(BATCH, testClipId(0))).toMatchObject([
      { revision: 1, transcript: `${hostileTexts.script} ok` },
    ]);

    await expectNothingInjected(page);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as WatchedWindow).__violations)).toEqual([]);
  });

  test('cuts a pasted one-megabyte line to the transcript limit and stays responsive', async ({ page, app }) => {
    const dialogs = await watchPage(page);
    importHostileBatch(app, ['play some jazz']);
    await app.open({ demo: false });
    await openBatch(page);

    const box = page.locator('#transcript');
    await box.fill(megabyteLine());
    const value = await box.evaluate((el: HTMLTextAreaElement) => el.value);
    // Compared as a flag: a failure should not print a megabyte.
    expect(value.length).toBe(MAX_TRANSCRIPT_CHARS);
    expect(value === megabyteLine().slice(0, MAX_TRANSCRIPT_CHARS)).toBe(true);
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
    expect(app.services.annotations.work(BATCH, testClipId(0)).draft?.transcript === value).toBe(true);

    // A full box takes no more text, but editing still works: replace the first letter.
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('x');
    expect(await box.evaluate((el: HTMLTextAreaElement) => el.value.length)).toBe(MAX_TRANSCRIPT_CHARS);
    await page.keyboard.press('Delete');
    await page.keyboard.type('x');
    await expect.poll(() => box.evaluate((el: HTMLTextAreaElement) => el.value.startsWith('xlay <b>'))).toBe(true);
    await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
    await expectNothingInjected(page);
    expect(dialogs).toEqual([]);
  });

  test('carries every hostile string from the page through the dispatcher and back unchanged', async ({
    page,
    app,
  }) => {
    importHostileBatch(app, ['play some jazz']);
    await app.open({ demo: false });
    const texts = Object.values(hostileTexts);
    const echoed = await page.evaluate(
      async ({ batchId, clipId, texts }) => {
        type Api = {
          annotations: {
            saveDraft(r: unknown): Promise<{ ok: boolean }>;
            work(r: unknown): Promise<{ ok: boolean; value?: { draft: { transcript: string } | null } }>;
          };
        };
        const api = (window as unknown as { reviewer: Api }).reviewer;
        const out: (string | null)[] = [];
        for (const transcript of texts) {
          const ref = { batchId, clipId };
          await api.annotations.saveDraft({
            ...ref,
            basedOnRevision: 0,
            disposition: null,
            body: { transcript, critical: [], entities: [] },
          });
          out.push((await api.annotations.work(ref)).value?.draft?.transcript ?? null);
        }
        return out;
      },
      { batchId: BATCH, clipId: testClipId(0), texts },
    );
    expect(echoed).toEqual(texts);
    expect(app.services.annotations.work(BATCH, testClipId(0)).draft?.transcript).toBe(texts[texts.length - 1]);
    await expectNothingInjected(page);
  });
});
