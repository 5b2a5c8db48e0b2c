import type { Page } from '@playwright/test';
import { expect, test } from './support/harness';
import { demoBatch, openBatchByKeyboard } from './support/review-steps';

type MediaWindow = Window & { __media?: HTMLMediaElement[]; __violations?: string[] };

/**
 * Remembers every media element that starts playing, so the test can read what the browser is
 * really doing (time, rate, pitch) without the app exposing anything for tests; and records
 * every CSP violation.
 */
async function watchMedia(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as MediaWindow;
    w.__media = [];
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__violations?.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
    const play = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'play')?.value as (
      this: HTMLMediaElement,
    ) => Promise<void>;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      if (!w.__media?.includes(this)) {
        w.__media?.push(this);
      }
      return play.call(this);
    };
  });
}

/** The clip element playing now, as facts: its blob URL, time, rate and whether it keeps pitch. */
function playingMedia(page: Page) {
  return page.evaluate(() => {
    const m = (window as MediaWindow).__media?.find((e) => e.src.startsWith('blob:') && !e.paused);
    return m
      ? { time: m.currentTime, rate: m.playbackRate, preservesPitch: m.preservesPitch, src: m.src.slice(0, 5) }
      : null;
  });
}

/** "Saved" is showing: main confirmed the draft. */
async function expectSaved(page: Page): Promise<void> {
  const status = page.getByTestId('save-status');
  await expect(status).toHaveAttribute('data-status', 'saved');
  await expect(status.getByText('Saved', { exact: true })).toBeVisible();
}

test.describe('review screen', () => {
  test('opens the demo batch by keyboard, plays real audio, and restores a draft and its disposition after a reload', async ({
    page,
    app,
  }) => {
    await watchMedia(page);
    await app.open();
    const { batchId, clips, clip } = demoBatch(app);
    const [count, first] = [clips.length, clip(0)];
    expect(count).toBe(14);

    await openBatchByKeyboard(page);

    await expect(page.getByTestId('clip-id')).toHaveText(first.id);
    // Counted as the batch list counts: all 15 clips, the one withheld named and why.
    await expect(page.getByTestId('progress')).toHaveText(`Clip 1 of ${count + 1} · 0 reviewed`);
    await expect(page.getByTestId('withheld')).toHaveText('Withheld, consent withdrawn: 1');
    const box = page.getByRole('textbox', { name: 'Transcript' });
    await expect(box).toHaveValue(first.asr);
    await expect(box).toBeFocused();
    await expect(page.getByRole('group', { name: 'Player' })).toHaveAttribute('data-playing', 'true');
    await expect.poll(async () => (await playingMedia(page))?.time ?? 0).toBeGreaterThan(0.2);
    expect(await playingMedia(page)).toMatchObject({ src: 'blob:', preservesPitch: true, rate: 1 });
    await expect(page.locator('audio, video')).toHaveCount(0);
    const waveform = page.getByRole('img', { name: 'Waveform of the clip' });
    await expect(waveform).toHaveAttribute('data-ready', 'true');
    await expect
      .poll(() =>
        waveform.evaluate((c: HTMLCanvasElement) =>
          c
            .getContext('2d')
            ?.getImageData(0, 0, c.width, c.height)
            .data.some((v) => v > 0),
        ),
      )
      .toBe(true);
    await expect(page.getByTestId('watermark')).toContainText(app.services.session.get().identity.pseudonym);

    await page.keyboard.type(' please');
    await expectSaved(page);
    expect(app.services.annotations.work(batchId, first.id).draft?.transcript).toBe(`${first.asr} please`);
    // The box's own undo history survives saving and re-rendering: one step undoes the word.
    await page.keyboard.press('Control+z');
    await expect(box).toHaveValue(first.asr);
    await page.keyboard.press('Control+Shift+z');
    await expect(box).toHaveValue(`${first.asr} please`);
    await expectSaved(page);
    await expect
      .poll(() => app.services.annotations.work(batchId, first.id).draft?.transcript)
      .toBe(`${first.asr} please`);
    // A chosen but unsubmitted disposition is part of the draft.
    await page.keyboard.press('Alt+3');
    await expect.poll(() => app.services.annotations.work(batchId, first.id).draft?.disposition).toBe('tv_media');

    await page.reload();
    await page.getByRole('banner').waitFor();
    await openBatchByKeyboard(page);

    await expect(page.getByTestId('clip-id')).toHaveText(first.id);
    await expect(page.getByRole('textbox', { name: 'Transcript' })).toHaveValue(`${first.asr} please`);
    await expect(page.getByRole('button', { name: /TV or media/ })).toHaveAttribute('aria-pressed', 'true');
  });

  test('refuses to submit before the clip is heard, submits and moves on with Ctrl+Enter, then amends', async ({
    page,
    app,
  }) => {
    await watchMedia(page);
    await app.open();
    const { batchId, clip } = demoBatch(app);
    const [first, second] = [clip(0), clip(1)];
    await openBatchByKeyboard(page);
    await expect(page.getByTestId('clip-id')).toHaveText(first.id);

    await page.keyboard.press('Control+Enter');
    await expect(page.getByRole('alert')).toContainText('Listen to the whole clip before submitting');
    expect(app.services.annotations.history(batchId, first.id)).toEqual([]);

    for (let i = 0; i < 10; i += 1) {
      await page.keyboard.press('Control+Period');
    }
    await expect(page.getByTestId('rate')).toHaveText('Speed 2.0×');
    // The 2.4 s clip may have ended while the keys were pressed: replayed, it plays at the new speed.
    await page.keyboard.press('Control+KeyI');
    await expect.poll(async () => (await playingMedia(page))?.rate).toBe(2);
    expect((await playingMedia(page))?.preservesPitch).toBe(true);
    await expect(page.getByTestId('heard')).toHaveText('Heard in full', { timeout: 15_000 });

    await page.keyboard.press('Control+Enter');

    await expect(page.getByTestId('clip-id')).toHaveText(second.id);
    await expect(page.getByRole('textbox', { name: 'Transcript' })).toHaveValue(second.asr);
    await expect(page.getByTestId('progress')).toContainText('· 1 reviewed');
    await expect(page.getByTestId('rate')).toHaveText('Speed 2.0×');
    await expect(page.getByRole('group', { name: 'Player' })).toHaveAttribute('data-playing', 'true');
    // The submit is stored in the background: the next clip never waits for it.
    await expect
      .poll(() => app.services.annotations.history(batchId, first.id))
      .toMatchObject([{ revision: 1, transcript: first.asr, disposition: 'transcribed' }]);

    await page.keyboard.press('Control+BracketLeft');
    await expect(page.getByTestId('clip-id')).toHaveText(first.id);
    const box = page.getByRole('textbox', { name: 'Transcript' });
    await expect(box).toHaveValue(first.asr);
    await expect(page.getByText('Submitted as revision 1.')).toBeVisible();
    await expect(page.getByTestId('heard')).toHaveText('Heard in full');
    await page.keyboard.type(' now');
    await page.keyboard.press('Alt+4');
    await expect(page.getByRole('button', { name: /Noise only/ })).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('Control+Enter');

    await expect(page.getByTestId('clip-id')).toHaveText(second.id);
    await expect
      .poll(() =>
        app.services.annotations.history(batchId, first.id).map((r) => [r.revision, r.transcript, r.disposition]),
      )
      .toEqual([
        [1, first.asr, 'transcribed'],
        [2, `${first.asr} now`, 'noise_only'],
      ]);

    await page.keyboard.press('Alt+ArrowLeft');
    await expect(page.locator('button.batch-open').first()).toBeFocused();
    await expect(page.locator('button.batch-open').first()).toContainText('1 of 15 clips reviewed');
    // Clips were loaded, played and released under the app's CSP without a single violation.
    expect(await page.evaluate(() => (window as MediaWindow).__violations)).toEqual([]);
  });
});
