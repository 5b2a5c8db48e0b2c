import type { Locator, Page } from '@playwright/test';
import { expectAccessible } from './support/axe';
import { expect, test, type AppHarness } from './support/harness';
import { demoBatch, expectSaved, openBatchByKeyboard, selectFirstWord, tabTo } from './support/review-steps';

type Caret = { readonly value: string; readonly start: number; readonly end: number; readonly direction: string };

const caretOf = (box: Locator): Promise<Caret> =>
  box.evaluate((el: HTMLTextAreaElement) => ({
    value: el.value,
    start: el.selectionStart,
    end: el.selectionEnd,
    direction: el.selectionDirection,
  }));

/** The draft main holds for the clip, once the box's text has been saved. */
async function savedDraft(page: Page, app: AppHarness, batchId: string, clipId: string, text: string) {
  await expect(page.locator('#transcript')).toHaveValue(text);
  await expectSaved(page);
  await expect.poll(() => app.services.annotations.work(batchId, clipId).draft?.transcript).toBe(text);
  return app.services.annotations.work(batchId, clipId).draft;
}

test.describe('inserting tags while typing', () => {
  test('types, inserts tags by keyboard, undoes and redoes each in one step, and the draft keeps them', async ({
    page,
    app,
  }) => {
    await app.open();
    const { batchId, clip } = demoBatch(app);
    const { id, asr } = clip(0);
    await openBatchByKeyboard(page);
    const box = page.locator('#transcript');
    await expect(box).toHaveValue(asr);

    // A critical span on the first word, which must follow it when a tag goes in before it.
    const first = await selectFirstWord(page);
    await page.keyboard.press('Control+Shift+KeyC');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('tag-list')).toContainText('Critical data');

    await page.keyboard.press('Control+End');
    await page.keyboard.type(' please');
    await page.keyboard.press('Control+Shift+KeyT');
    const menu = page.getByRole('menu', { name: 'Insert a tag' });
    await expect(menu).toBeVisible();
    await expect(menu.getByRole('menuitem')).toHaveText([
      '1 [noise] Ctrl+1',
      '2 [unintelligible] Ctrl+2',
      '3 [tv] Ctrl+3',
      '4 [music] Ctrl+4',
      '5 [laughter] Ctrl+5',
    ]);
    await expect(menu.getByRole('menuitem', { name: '[noise]' })).toBeFocused();
    await expect(box).toHaveValue(`${asr} please`);
    await expectAccessible(page);

    await page.keyboard.press('Digit1');
    await expect(menu).toBeHidden();
    await expect(box).toBeFocused();
    const afterNoise = `${asr} please [noise]`;
    expect(await caretOf(box)).toMatchObject({ value: afterNoise, start: afterNoise.length, end: afterNoise.length });

    // Typing goes on after the tag; then the menu again, by arrows and Enter.
    await page.keyboard.type(' thanks');
    await page.keyboard.press('Control+Shift+KeyT');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const typed = `${afterNoise} thanks`;
    const withTwo = `${typed} [unintelligible]`;
    await expect(box).toHaveValue(withTwo);
    await savedDraft(page, app, batchId, id, withTwo);

    // Ctrl+Z takes the whole tag out, and only it; Ctrl+Shift+Z and Ctrl+Y put it back.
    await page.keyboard.press('Control+KeyZ');
    await expect(box).toHaveValue(typed);
    await savedDraft(page, app, batchId, id, typed);
    await page.keyboard.press('Control+Shift+KeyZ');
    await expect(box).toHaveValue(withTwo);
    await page.keyboard.press('Control+KeyZ');
    await expect(box).toHaveValue(typed);
    await page.keyboard.press('Control+KeyY');
    await expect(box).toHaveValue(withTwo);

    // Straight from a chord, at the start of the text: the span moves with its word.
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+Digit3');
    const final = `[tv] ${withTwo}`;
    expect(await caretOf(box)).toMatchObject({ value: final, start: 5, end: 5 });
    const draft = await savedDraft(page, app, batchId, id, final);
    expect(draft?.critical).toEqual([{ start: 5, end: 5 + first.length, category: 'bank_card' }]);
    await page.keyboard.press('Control+KeyZ');
    await expect(box).toHaveValue(withTwo);
    const undone = await savedDraft(page, app, batchId, id, withTwo);
    expect(undone?.critical).toEqual([{ start: 0, end: first.length, category: 'bank_card' }]);
  });

  test('Escape leaves the text and caret as they were; a changed tag list shows in the next menu', async ({
    page,
    app,
  }) => {
    await app.open();
    const { batchId, clip } = demoBatch(app);
    const { id, asr } = clip(0);
    await openBatchByKeyboard(page);
    const box = page.locator('#transcript');

    await page.keyboard.press('Control+End');
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Shift+ArrowLeft');
    }
    const before = await caretOf(box);
    expect(before).toMatchObject({ start: asr.length - 4, end: asr.length, direction: 'backward' });
    await page.keyboard.press('Control+Shift+KeyT');
    await expect(page.getByRole('menu', { name: 'Insert a tag' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toBeHidden();
    await expect(box).toBeFocused();
    expect(await caretOf(box)).toEqual(before);
    // Still on the review screen: Escape belonged to the menu.
    await expect(page.getByTestId('clip-id')).toHaveText(id);

    await page.keyboard.press('F2');
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings).toBeVisible();
    await tabTo(page, '#setting-insertTags');
    await page.keyboard.press('Control+KeyA');
    await page.keyboard.type('[cough] [noise] [ruido]');
    await page.keyboard.press('Enter');
    await expect.poll(() => app.services.settings.get().values.insertTags).toEqual(['[cough]', '[noise]', '[ruido]']);
    await page.keyboard.press('Escape');
    await expect(settings).toBeHidden();
    await expect(box).toBeFocused();

    // Each key has exactly one effect: the menu focused, then the text changed. How long they take
    // is the renderer bench's business (keystroke_paint_ms); a timing here fails on a loaded machine.
    await page.evaluate(() => {
      const w = window as { __tagEffects?: string[] };
      w.__tagEffects = [];
      document.addEventListener('focusin', (e) =>
        e.target instanceof HTMLElement && e.target.getAttribute('role') === 'menuitem'
          ? void w.__tagEffects?.push('menu')
          : undefined,
      );
      document.addEventListener('input', () => void w.__tagEffects?.push('input'));
    });
    await page.keyboard.press('Control+Shift+KeyT');
    const menu = page.getByRole('menu', { name: 'Insert a tag' });
    await expect(menu.getByRole('menuitem')).toHaveText(['1 [cough] Ctrl+1', '2 [noise] Ctrl+2', '3 [ruido] Ctrl+3']);
    await page.keyboard.press('Digit3');
    const effects = await page.evaluate(() => (window as { __tagEffects?: string[] }).__tagEffects ?? []);
    expect(effects).toEqual(['menu', 'input']);
    // The selection was replaced by the tag.
    const text = `${asr.slice(0, asr.length - 4)}${/\s$/.test(asr.slice(0, asr.length - 4)) ? '' : ' '}[ruido]`;
    await savedDraft(page, app, batchId, id, text);

    await page.keyboard.press('Control+Digit1');
    await savedDraft(page, app, batchId, id, `${text} [cough]`);
  });
});
