import type { Page } from '@playwright/test';
import { queryDb } from '../support/services';
import { expect, test, type AppHarness } from './support/harness';

function demoBatch(app: AppHarness) {
  const batch = app.services.batches.list()[0];
  if (!batch) {
    throw new Error('no demo batch');
  }
  const clips = app.services.vault.listClips(batch.id).filter((c) => c.state === 'ready');
  const clip = (i: number) => {
    const c = clips[i];
    if (!c) {
      throw new Error(`no clip ${i}`);
    }
    return { id: c.id, asr: app.services.vault.openClip(batch.id, c.id).asrText };
  };
  return { batchId: batch.id, first: clip(0), second: clip(1) };
}

async function openByKeyboard(page: Page): Promise<void> {
  await expect(page.locator('button.batch-open').first()).toBeFocused();
  await page.keyboard.press('Enter');
}

/** Plays the open clip at double speed until it has been heard in full. */
async function hearInFull(page: Page): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    await page.keyboard.press('Control+Period');
  }
  await expect(page.getByTestId('heard')).toHaveText('Heard in full', { timeout: 15_000 });
}

test.describe('tagging and escalation', () => {
  test('tags a word selected by keyboard as a bank card, and submits the span', async ({ page, app }) => {
    await app.open();
    const { batchId, first, second } = demoBatch(app);
    await openByKeyboard(page);
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
    await expect(page.getByTestId('outgoing-transcript')).toHaveText(`${text.slice(0, end - word.length)}[CRITICAL:bank_card]${first.asr.slice(end)}`);

    await hearInFull(page);
    await page.keyboard.press('Control+Enter');

    await expect(page.getByTestId('clip-id')).toHaveText(second.id);
    await expect.poll(() => app.services.annotations.history(batchId, first.id)).toMatchObject([
      { revision: 1, transcript: first.asr, critical: [{ start: end - word.length, end, category: 'bank_card' }] },
    ]);
  });

  test('escalates by chord while typing, saves the note, and takes a break', async ({ page, app }) => {
    await app.open();
    const { first } = demoBatch(app);
    await openByKeyboard(page);
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
    expect(queryDb<{ clipId: string; category: string }>(app.dataDir, 'SELECT clip_id AS clipId, category FROM escalations')).toEqual([
      { clipId: first.id, category: 'self_harm' },
    ]);

    await page.keyboard.press('Enter');
    await expect(page.getByRole('textbox', { name: 'Transcript' })).toBeFocused();
    await expect(page.getByRole('group', { name: 'Player' })).toHaveAttribute('data-playing', 'false');
  });
});
