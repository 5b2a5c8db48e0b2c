import type { Locator, Page } from '@playwright/test';
import { expectAccessible } from './support/axe';
import { expect, test } from './support/harness';
import { demoBatch, hearInFull, openBatchByKeyboard, selectFirstWord, selectLastWord } from './support/review-steps';

const CONTROL_ROLES =
  'button|textbox|searchbox|radio|checkbox|combobox|listbox|slider|spinbutton|switch|tab|link|menuitem|img';

/**
 * Every control on the page has an accessible name: read from one snapshot of the accessibility
 * tree, where a control without a name shows as its bare role.
 */
async function expectEveryControlNamed(page: Page): Promise<void> {
  const tree = await page.locator('body').ariaSnapshot();
  const unnamed = tree
    .split('\n')
    .filter((line) => new RegExp(`^\\s*- (${CONTROL_ROLES})(?: \\[[^\\]]*\\])*(?::.*)?$`).test(line));
  expect(unnamed, 'controls without an accessible name').toEqual([]);
}

/**
 * Nothing spills sideways: the page never scrolls horizontally, and each given control lies
 * inside the viewport's width with its text uncut. `fullyVisible` ones must also fit its height
 * (they are the ones a reviewer needs without scrolling).
 */
async function expectFits(
  page: Page,
  controls: readonly Locator[],
  fullyVisible: readonly Locator[] = [],
): Promise<void> {
  const { scrollWidth, innerWidth, innerHeight } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
  }));
  expect(scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(innerWidth);
  for (const control of [...controls, ...fullyVisible]) {
    const box = await control.boundingBox();
    expect(box, `${control.toString()} is not laid out`).not.toBeNull();
    if (!box) {
      continue;
    }
    expect(box.x, `${control.toString()} starts left of the viewport`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${control.toString()} ends right of the viewport`).toBeLessThanOrEqual(innerWidth);
    const clipped = await control.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    expect(clipped, `${control.toString()} cuts its text`).toBe(false);
  }
  for (const control of fullyVisible) {
    const box = await control.boundingBox();
    expect(
      (box?.y ?? -1) >= 0 && (box?.y ?? 0) + (box?.height ?? 0) <= innerHeight,
      `${control.toString()} is off screen`,
    ).toBe(true);
  }
}

async function expectChecked(page: Page, fullyVisible: readonly Locator[] = []): Promise<void> {
  await expectAccessible(page);
  await expectEveryControlNamed(page);
  await expectFits(page, await page.getByRole('button').all(), fullyVisible);
}

const sizes = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

for (const viewport of sizes) {
  test.describe(`accessibility at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('the batch list, empty and with a batch, and the help over it', async ({ page, app }) => {
      await app.open({ demo: false });
      await expect(page.getByText('No batches on this workstation yet.')).toBeVisible();
      await expectChecked(page);

      app.services.demo.ensureDemoBatch();
      await page.reload();
      const batch = page.getByRole('button', { name: /0 of 15 clips reviewed/ });
      await expect(batch).toBeFocused();
      await expect(page.getByRole('main', { name: 'Review workspace' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Batches' })).toBeVisible();
      await expectChecked(page, [batch]);

      await page.keyboard.press('F1');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await expect(help).toBeFocused();
      await expect(help.getByRole('button', { name: 'Close' })).toBeVisible();
      await expectChecked(page, [help]);
    });

    test('the review screen while a clip plays, with its diff and tags', async ({ page, app }) => {
      await app.open();
      await openBatchByKeyboard(page);
      await expect(page.getByRole('group', { name: 'Player' })).toHaveAttribute('data-playing', 'true');
      await page.keyboard.type(' right now');
      await expect(page.getByTestId('diff').locator('ins')).toHaveCount(2);
      await expect(page.getByRole('img', { name: 'Waveform of the clip' })).toHaveAttribute('data-ready', 'true');

      const player = page.getByRole('group', { name: 'Player' });
      for (const name of [
        'Replay from start',
        'Back 3 seconds',
        'Back 1 second',
        'Pause',
        'Forward 3 seconds',
        'Slower',
        'Faster',
      ]) {
        await expect(player.getByRole('button', { name, exact: true })).toBeVisible();
      }
      const dispositions = page.getByRole('group', { name: 'Disposition' });
      for (const name of [
        'Transcribed',
        'No wake word',
        'TV or media',
        'Noise only',
        'Unintelligible',
        'Other language',
      ]) {
        await expect(dispositions.getByRole('button', { name: new RegExp(`^${name}`) })).toBeVisible();
      }
      const transcript = page.getByRole('textbox', { name: 'Transcript' });
      const submit = page.getByRole('button', { name: /^Submit and next/ });
      await expect(page.getByRole('button', { name: 'Back to batches' })).toBeVisible();
      await expect(page.getByRole('region', { name: "Difference from the recognizer's text" })).toBeVisible();
      // The reviewer's whole working set is on screen without scrolling.
      await expectChecked(page, [transcript, submit, ...(await dispositions.getByRole('button').all()), player]);

      await selectLastWord(page);
      await page.keyboard.press('Control+Shift+C');
      await page.keyboard.press('Enter');
      await selectFirstWord(page);
      await page.keyboard.press('Control+Shift+N');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('tag-list').getByRole('listitem')).toHaveCount(2);
      await expect(page.getByTestId('critical-flag')).toBeVisible();
      await expect(page.getByRole('button', { name: /^Remove the tag on/ })).toHaveCount(2);
      await expectChecked(page);
    });

    test('the notices, the tag menus and the help over the review screen', async ({ page, app }) => {
      await app.open();
      await openBatchByKeyboard(page);
      // Paused early, the clip stays not heard in full, so a submit is refused.
      await page.keyboard.press('Control+K');
      await expect(page.getByRole('group', { name: 'Player' })).toHaveAttribute('data-playing', 'false');
      await page.keyboard.press('Control+Enter');
      await expect(page.getByRole('alert')).toContainText('Listen to the whole clip before submitting');
      await expectChecked(page);

      await page.keyboard.press('Control+Shift+C');
      await expect(page.getByTestId('notice')).toHaveAttribute('data-notice', 'noSelection');
      await expectChecked(page);

      const word = await selectLastWord(page);
      await page.keyboard.press('Control+Shift+C');
      const critical = page.getByRole('dialog', { name: 'Tag as critical data' });
      await expect(critical.getByTestId('tag-selection')).toHaveText(word);
      await expect(
        critical.getByRole('radiogroup', { name: 'Category' }).or(critical.getByRole('group', { name: 'Category' })),
      ).toBeVisible();
      await expect(critical.getByRole('button', { name: 'Tag' })).toBeVisible();
      await expectChecked(page, [critical]);
      await page.keyboard.press('Escape');
      await expect(critical).toBeHidden();

      await page.keyboard.press('Control+Shift+N');
      const entity = page.getByRole('dialog', { name: 'Tag as an entity' });
      await expect(entity.getByRole('radio', { name: 'Artist' })).toBeFocused();
      await expect(entity.getByRole('textbox', { name: 'Knowledge-base id (optional)' })).toBeVisible();
      await expectChecked(page, [entity]);
      await page.keyboard.press('Escape');

      await page.keyboard.press('F1');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await expect(help).toBeFocused();
      await expectChecked(page, [help]);
      await page.keyboard.press('Escape');
      await expect(help).toBeHidden();
      await expect(page.getByRole('textbox', { name: 'Transcript' })).toBeFocused();
    });

    test('the escalation dialog, its confirmation and the break', async ({ page, app }) => {
      await app.open();
      await openBatchByKeyboard(page);
      await page.keyboard.press('Control+Shift+E');
      const dialog = page.getByRole('dialog', { name: 'Escalate this clip' });
      await expect(dialog.getByRole('radio', { name: 'Crime or abuse' })).toBeFocused();
      await page.keyboard.press('Control+Enter');
      await expect(dialog.getByRole('alert')).toHaveText('Choose what the escalation is about.');
      await expect(dialog.getByRole('textbox', { name: 'Note for the supervisor' })).toBeVisible();
      await expect(dialog.getByRole('button', { name: 'Save escalation' })).toBeVisible();
      await expectChecked(page, [dialog]);

      await page.keyboard.press('Space');
      await page.keyboard.press('Control+Enter');
      await expect(dialog.getByTestId('escalation-saved')).toBeVisible();
      await expect(dialog.getByRole('button', { name: 'Take a break now' })).toBeFocused();
      await expectChecked(page, [dialog]);

      await page.keyboard.press('Enter');
      await expect(page.getByRole('heading', { name: 'Taking a break' })).toBeVisible();
      const resume = page.getByRole('button', { name: 'Resume' });
      await expect(resume).toBeFocused();
      await expectChecked(page, [resume]);
    });

    test('a refused submit on the review screen', async ({ page, app }) => {
      await app.open();
      const { batchId, clip } = demoBatch(app);
      await openBatchByKeyboard(page);
      await hearInFull(page);
      // Another session stored a revision first: this submit is refused as based on an old one.
      const body = { transcript: 'stored elsewhere', critical: [], entities: [] };
      app.services.annotations.submit({
        batchId,
        clipId: clip(0).id,
        basedOnRevision: 0,
        disposition: 'transcribed',
        body,
      });
      await page.keyboard.press('Control+Enter');
      await expect(page.getByRole('alert')).toContainText('Not submitted:');
      await expect(page.getByTestId('clip-id')).toHaveText(clip(0).id);
      await expectChecked(page);
    });
  });
}

for (const locale of ['es-ES', 'ro-RO'] as const) {
  test.describe(`layout in ${locale} at 1280×720`, () => {
    test.use({ locale, viewport: { width: 1280, height: 720 } });

    test('the longer strings fit on every screen', async ({ page, app }) => {
      await app.open();
      await expect(page.locator('html')).toHaveAttribute('lang', locale.slice(0, 2));
      await expectChecked(page);
      await openBatchByKeyboard(page);
      await expectChecked(page, [
        page.locator('#transcript'),
        page.locator('button.submit'),
        page.locator('.dispositions'),
      ]);

      await page.keyboard.press('F1');
      await expectChecked(page, [page.getByRole('dialog')]);
      await page.keyboard.press('Escape');

      await page.keyboard.press('Control+Shift+E');
      await expectChecked(page, [page.getByRole('dialog')]);
    });
  });
}
