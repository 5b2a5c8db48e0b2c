import { expect, test } from './support/harness';
import { openBatchByKeyboard, selectLastWord } from './support/review-steps';
import { signInVouched } from '../support/signed-identity';

/**
 * Esc closes the topmost transient thing and nothing more, on every screen; leaving a clip or a
 * screen is Alt+Left.
 */
test.describe('Esc dismisses, Alt+Left goes back', () => {
  test('on the batch list, the review screen and the reports', async ({ page, app }) => {
    await app.open();
    const batch = page.locator('button.batch-open').first();
    await expect(batch).toBeFocused();

    // The batch list: Esc with nothing open does nothing; it closes the help and the settings.
    await page.keyboard.press('Escape');
    await expect(batch).toBeFocused();
    await page.keyboard.press('F1');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    await expect(help.locator('[data-command="app.back"] kbd')).toHaveText('Alt+←');
    // F2 over the help: one overlay at a time.
    await page.keyboard.press('F2');
    await expect(help).toBeHidden();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(settings).toBeHidden();

    // The review screen: Esc never leaves the clip.
    await batch.focus();
    await openBatchByKeyboard(page);
    const box = page.locator('#transcript');
    await page.keyboard.press('Escape');
    await expect(box).toBeFocused();

    // A hint goes with Esc, and the clip stays.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Control+Shift+C');
    await expect(page.getByTestId('notice')).toHaveAttribute('data-notice', 'noSelection');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('notice')).toHaveCount(0);
    await expect(box).toBeFocused();

    // A selection collapses, the text untouched.
    const word = await selectLastWord(page);
    expect(word).not.toBe('');
    await page.keyboard.press('Escape');
    expect(await box.evaluate((el: HTMLTextAreaElement) => el.selectionEnd - el.selectionStart)).toBe(0);

    // A dialog closes alone, back to the caret.
    await selectLastWord(page);
    await page.keyboard.press('Control+Shift+C');
    const menu = page.getByRole('dialog', { name: 'Tag as critical data' });
    await expect(menu).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(box).toBeFocused();

    // The help over the clip closes with Esc; then Esc has nothing left to close.
    await page.keyboard.press('F1');
    await expect(help).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
    await page.keyboard.press('Escape');
    await expect(box).toBeFocused();

    // Back is its own command.
    await page.keyboard.press('Alt+ArrowLeft');
    await expect(batch).toBeFocused();

    // The reports: Esc stays, Alt+Left goes back.
    signInVouched(app.services, { pseudonym: 'sv-1', role: 'supervisor' });
    await page.reload();
    await page.locator('button.reports-button').click();
    const reports = page.getByTestId('report-screen');
    await expect(reports).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(reports).toBeVisible();
    await page.keyboard.press('Alt+ArrowLeft');
    await expect(reports).toBeHidden();
  });

  test('a saved Esc binding for back moves to Alt+Left, with a notice Esc dismisses', async ({ page, app }) => {
    app.services.settings.update({ hotkeys: { 'app.back': { code: 'Escape' } } });
    await app.open();
    const notice = page.getByTestId('app-notice');
    await expect(notice).toContainText('Going back is now Alt+←');
    await expect.poll(() => app.services.settings.get().values.hotkeys).toEqual({});
    await page.keyboard.press('Escape');
    await expect(notice).toBeHidden();
    await openBatchByKeyboard(page);
    await page.keyboard.press('Escape');
    await expect(page.locator('#transcript')).toBeFocused();
    await page.keyboard.press('Alt+ArrowLeft');
    await expect(page.locator('button.batch-open').first()).toBeFocused();
  });
});
