import { queryDb } from '../support/services';
import { expect, test } from './support/harness';
import { demoBatch, hearInFull, openBatchByKeyboard } from './support/review-steps';

test.describe('tagging and escalation', () => {
  test('tags a word selected by keyboard as a bank card, and submits the span', async ({ page, app }) => {
    await app.open();
    const { batchId, clip } = demoBatch(app);
    const [first, second] = [clip(0), clip(1)];
    await openBatchByKeyboard(page);
    const box = page.getByRole('textbox', { name: 'Transcript' });
    await expect(box).toHaveValue(first.asr);
    await expect(box).toBeFocused();
    const text = first.asr.trimEnd();
    const word = text.split(/\s+/).at(-1) ?? '';
    expect(word).not.toBe('');
    const end = text.length;
    await page.keyboard.press('End');
    for (let i = first.asr.length; i > end; i -= 1) {
      await page.keyboard.press('ArrowLeft');
    }

    for (let i = 0; i < word.length; i += 1) {
      await page.keyboard.press('Shift+ArrowLeft');
    }
    await page.keyboard.press('Control+Shift+C');

    const menu = page.getByRole('dialog', { name: 'Tag as critical data' });
    await expect(menu).toBeVisible();
    await expect(menu.getByTestId('tag-selection')).toHaveText(word);
    await expect(menu.getByRole('radio', { name: 'Bank card' })).toBeFocused();
    await expect(menu.getByRole('radio', { name: 'Bank card' })).toBeChecked();
    await page.keyboard.press('Enter');

    await expect(menu).toBeHidden();
    await expect(box).toBeFocused();
    await expect(page.getByTestId('tag-list')).toContainText('Critical data: Bank card');
    await expect(page.getByTestId('critical-flag')).toBeVisible();
    // The tagged word is highlighted in place, on a layer lined up with the box's own text.
    const mark = page.getByTestId('highlights').locator('.hl-critical');
    await expect(mark).toHaveText(word);
    const [markBox, boxBox] = [await mark.boundingBox(), await box.boundingBox()];
    expect(markBox && boxBox && markBox.y >= boxBox.y && markBox.y + markBox.height <= boxBox.y + boxBox.height).toBe(
      true,
    );
    await page.keyboard.press('Home');
    await page.keyboard.type('so ');
    await expect(mark).toHaveText(word);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await expect(page.getByTestId('outgoing-transcript')).toHaveText(
      `${text.slice(0, end - word.length)}[CRITICAL:bank_card]${first.asr.slice(end)}`,
    );

    await hearInFull(page);
    await page.keyboard.press('Control+Enter');

    await expect(page.getByTestId('clip-id')).toHaveText(second.id);
    await expect
      .poll(() => app.services.annotations.history(batchId, first.id))
      .toMatchObject([
        { revision: 1, transcript: first.asr, critical: [{ start: end - word.length, end, category: 'bank_card' }] },
      ]);
  });

  test('escalates by chord while typing, saves the note, and takes a break', async ({ page, app }) => {
    await app.open();
    const first = demoBatch(app).clip(0);
    await openBatchByKeyboard(page);
    await expect(page.getByTestId('clip-id')).toHaveText(first.id);
    await expect(page.getByRole('group', { name: 'Player' })).toHaveAttribute('data-playing', 'true');

    await page.keyboard.type(' and');
    await page.keyboard.press('Control+Shift+E');

    await expect(page.getByRole('group', { name: 'Player' })).toHaveAttribute('data-playing', 'false');
    const dialog = page.getByRole('dialog', { name: 'Escalate this clip' });
    await expect(dialog).toHaveAttribute('aria-modal', 'true');
    await expect(dialog.getByRole('radio', { name: 'Crime or abuse' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(dialog.getByRole('radio', { name: 'Self-harm' })).toBeChecked();
    await page.keyboard.press('Tab');
    const note = dialog.getByRole('textbox', { name: 'Note for the supervisor' });
    await expect(note).toBeFocused();
    await page.keyboard.type('The speaker said they want to hurt themselves.');
    await page.keyboard.press('Control+Enter');

    await expect(dialog.getByTestId('escalation-saved')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Take a break now' })).toBeFocused();
    await page.keyboard.press('Enter');

    await expect(page.getByRole('heading', { name: 'Taking a break' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Transcript' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Resume' })).toBeFocused();
    expect(
      // The clip and the category are sealed with the note: main opens them, the row names neither.
      queryDb<{ id: string; clipId: string | null }>(app.dataDir, 'SELECT id, clip_id AS clipId FROM escalations').map(
        (e) => ({
          rowClipId: e.clipId,
          clipId: app.services.annotations.escalationById(e.id)?.clipId,
          category: app.services.annotations.escalationById(e.id)?.category,
        }),
      ),
    ).toEqual([{ rowClipId: null, clipId: first.id, category: 'self_harm' }]);

    await page.keyboard.press('Enter');
    await expect(page.getByRole('textbox', { name: 'Transcript' })).toBeFocused();
    await expect(page.getByRole('group', { name: 'Player' })).toHaveAttribute('data-playing', 'false');
  });
});
