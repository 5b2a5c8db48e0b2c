import { expectAccessible } from './support/axe';
import { expect, test } from './support/harness';
import { demoBatch, openBatchByKeyboard, tabTo } from './support/review-steps';

const changeButton = (command: string): string => `tr[data-command="${command}"] button >> nth=0`;

test.describe('settings', () => {
  test('change a setting and a binding by keyboard alone; both are kept in main and applied', async ({ page, app }) => {
    await app.open();
    const { clip } = demoBatch(app);
    // The list has put the focus on the batch; closing the settings must bring it back there.
    await expect(page.locator('button.batch-open').first()).toBeFocused();

    await page.keyboard.press('F2');
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings).toBeVisible();
    await expectAccessible(page);
    const box = await settings.boundingBox();
    expect(
      box && box.y >= 0 && box.y + box.height <= 720 && box.x + box.width <= 1280,
      'the settings fit a 1280×720 window',
    ).toBe(true);

    // The first control takes the focus: autoplay. Space turns it off.
    const autoplay = settings.getByRole('checkbox', { name: 'Play each clip as soon as it opens' });
    await expect(autoplay).toBeFocused();
    await page.keyboard.press('Space');
    await expect(autoplay).not.toBeChecked();

    const prefill = settings.getByRole('combobox', { name: 'The transcript box starts with' });
    await tabTo(page, '#setting-prefill');
    await page.keyboard.press('ArrowDown');
    await expect(prefill).toHaveValue('blank');

    // A chord another command holds is refused, naming that command.
    await tabTo(page, changeButton('player.toggle'));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('hotkey-status')).toHaveText(
      'Press the new keys for “Play or pause”, or Esc to cancel.',
    );
    await page.keyboard.press('Control+KeyJ');
    await expect(page.getByTestId('hotkey-error')).toHaveText(
      'Ctrl+J is already used by “Back 3 seconds”. Give that command other keys first.',
    );

    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Shift+KeyP');
    await expect(page.getByTestId('hotkey-status')).toHaveText('“Play or pause” is now Ctrl+Shift+P.');
    await expect(settings.locator('tr[data-command="player.toggle"] kbd')).toHaveText('Ctrl+Shift+P');
    await expectAccessible(page);

    await expect
      .poll(() => app.services.settings.get().values)
      .toMatchObject({
        autoplay: false,
        prefill: 'blank',
        hotkeys: { 'player.toggle': { code: 'KeyP', mod: true, shift: true } },
      });

    await page.keyboard.press('Escape');
    await expect(settings).toBeHidden();
    await openBatchByKeyboard(page);
    await expect(page.getByTestId('clip-id')).toHaveText(clip(0).id);
    await expect(page.locator('#transcript')).toHaveValue('');
    const player = page.getByRole('group', { name: 'Player' });
    await expect(player).toHaveAttribute('data-playing', 'false');

    await page.keyboard.press('Control+KeyK');
    await expect(player).toHaveAttribute('data-playing', 'false');
    await page.keyboard.press('Control+Shift+KeyP');
    await expect(player).toHaveAttribute('data-playing', 'true');
    await page.keyboard.press('Control+Shift+KeyP');
    await expect(player).toHaveAttribute('data-playing', 'false');

    // The help lists the new chord too.
    await page.keyboard.press('F1');
    await expect(page.locator('[data-command="player.toggle"] kbd')).toHaveText('Ctrl+Shift+P');
  });

  test('keeps the speed changed by hotkey across a restart', async ({ page, app }) => {
    await app.open();
    await openBatchByKeyboard(page);
    await page.keyboard.press('Control+Period');
    await page.keyboard.press('Control+Period');
    await expect(page.getByTestId('rate')).toHaveText('Speed 1.2×');
    await expect.poll(() => app.services.settings.get().values.playbackRate).toBe(1.2);

    await page.reload();
    await openBatchByKeyboard(page);

    await expect(page.getByTestId('rate')).toHaveText('Speed 1.2×');
  });
});
