import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/harness';
import { openBatchByKeyboard } from './support/review-steps';
import { LANGUAGES, LAPTOP_VIEWPORTS, longText, replaceTranscript, tagWords } from './support/screen-states';

/** The box of `control` lies wholly inside the viewport. */
async function expectInView(page: Page, control: Locator, what: string): Promise<void> {
  const viewport = page.viewportSize();
  const box = await control.boundingBox();
  expect(box, `${what} is not laid out`).not.toBeNull();
  if (!box || !viewport) {
    return;
  }
  const inside =
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= viewport.width + 0.5 &&
    box.y + box.height <= viewport.height + 0.5;
  expect(inside, `${what} at ${JSON.stringify(box)} is outside ${viewport.width}×${viewport.height}`).toBe(true);
}

/**
 * What a reviewer needs on every clip is in view without scrolling: the player, the transcript
 * with its caret line (the caret is at the end, so the box shows its end), every disposition, the
 * heard-in-full status, the early-submit warning and Submit. The page itself never scrolls.
 */
async function expectWorkingSetInView(page: Page, state: string): Promise<void> {
  await expectInView(page, page.locator('.player'), `${state}: the player`);
  const box = page.locator('#transcript');
  await expectInView(page, box, `${state}: the transcript box`);
  const caret = await box.evaluate((el: HTMLTextAreaElement) => ({
    atEnd: el.selectionStart === el.value.length,
    shownTo: el.scrollTop + el.clientHeight,
    // The caret's line is in view when at most the box's bottom padding is scrolled away.
    height: el.scrollHeight - parseFloat(getComputedStyle(el).paddingBottom),
  }));
  expect(
    caret.atEnd && caret.shownTo >= caret.height - 6,
    `${state}: the caret line is scrolled out of the transcript box (${JSON.stringify(caret)})`,
  ).toBe(true);
  for (const button of await page.locator('.dispositions button').all()) {
    await expectInView(page, button, `${state}: ${await button.getAttribute('data-disposition')}`);
  }
  await expectInView(page, page.getByTestId('heard'), `${state}: the heard-in-full status`);
  await expectInView(page, page.getByTestId('notice'), `${state}: the warning`);
  await expectInView(page, page.locator('button.submit'), `${state}: Submit`);
  // The watermark covers none of it (nor the status bar's own text). Measured in one call: the
  // test already measures many controls one by one.
  const covering = await page.evaluate(() => {
    const mark = document.querySelector('[data-testid="watermark"]')?.getBoundingClientRect();
    const targets = document.querySelectorAll(
      '[data-testid="notice"], [data-testid="heard"], button.submit, .dispositions button, .statusbar > *',
    );
    return {
      laidOut: mark !== undefined && mark.width > 0 && targets.length > 0,
      covered: [...targets]
        .filter((el) => {
          const box = el.getBoundingClientRect();
          return (
            mark !== undefined &&
            box.left < mark.right &&
            mark.left < box.right &&
            box.top < mark.bottom &&
            mark.top < box.bottom
          );
        })
        .map((el) => el.textContent),
    };
  });
  expect(covering.laidOut, `${state}: the watermark or the controls are not laid out`).toBe(true);
  expect(covering.covered, `${state}: the watermark covers these`).toEqual([]);
  const scrolls = await page.evaluate(
    () =>
      document.documentElement.scrollHeight > window.innerHeight ||
      document.documentElement.scrollWidth > window.innerWidth,
  );
  expect(scrolls, `${state}: the page scrolls`).toBe(false);
}

for (const viewport of LAPTOP_VIEWPORTS) {
  for (const language of LANGUAGES) {
    test.describe(`review layout at ${viewport.width}×${viewport.height} in ${language}`, () => {
      test.use({ viewport });

      test('keeps the working set in view with 0, 3 and 12 tags and a 4,000-character transcript', async ({
        page,
        app,
      }) => {
        app.services.settings.update({ uiLanguage: language });
        await app.open();
        await openBatchByKeyboard(page);
        // Paused before the end, Submit is refused with a warning: the longest action bar.
        await page.keyboard.press('Control+K');
        await expect(page.locator('.player')).toHaveAttribute('data-playing', 'false');
        await page.keyboard.press('Control+Enter');
        await expect(page.getByTestId('notice')).toHaveAttribute('data-notice', 'notHeard');
        await expectWorkingSetInView(page, 'no tags');

        await replaceTranscript(page, longText(240));
        await tagWords(page, 3);
        await page.keyboard.press('Control+End');
        await expectWorkingSetInView(page, '3 tags');

        await tagWords(page, 9);
        await page.keyboard.press('Control+End');
        await expectWorkingSetInView(page, '12 tags');

        await replaceTranscript(page, longText(4_000));
        await page.keyboard.press('Control+End');
        await expectWorkingSetInView(page, 'a 4,000-character transcript');
      });
    });
  }
}

test.describe('review layout on a wide screen', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('puts tags, diff and pace in a side column beside the transcript', async ({ page, app }) => {
    await app.open();
    await openBatchByKeyboard(page);
    const main = await page.locator('.review-main').boundingBox();
    const side = await page.getByTestId('review-side').boundingBox();
    expect(main && side && side.x >= main.x + main.width).toBe(true);
    expect(main && main.width > 1000).toBe(true);
  });
});

for (const viewport of [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
] as const) {
  test.describe(`the pace panel at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('stays whole and in view beside a 4,000-character transcript', async ({ page, app }) => {
      await app.open();
      await openBatchByKeyboard(page);
      await replaceTranscript(page, longText(4_000));
      await page.keyboard.press('Control+End');
      const pace = page.getByTestId('pace-panel');
      await expect(pace).toBeVisible();
      await page.screenshot({
        path: `test-results/screenshots/pace-panel-long-transcript-${viewport.width}x${viewport.height}.png`,
      });
      // Whole and in view as the clip opens: no scrolling of its column is needed to read it.
      await expectInView(page, pace, 'the pace panel');
      const side = await page.getByTestId('review-side').boundingBox();
      const panel = await pace.boundingBox();
      expect(
        side && panel && panel.y >= side.y - 0.5 && panel.y + panel.height <= side.y + side.height + 0.5,
        `the pace panel at ${JSON.stringify(panel)} is cut off by its column at ${JSON.stringify(side)}`,
      ).toBe(true);
      await expectInView(page, page.locator('button.submit'), 'Submit');
      const scrolls = await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight);
      expect(scrolls, 'the page scrolls').toBe(false);
    });
  });
}
