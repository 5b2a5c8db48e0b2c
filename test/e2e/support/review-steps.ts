/**
 * Keyboard steps and facts about the demo batch shared by the review specs. Steps act through
 * `page.keyboard` only, as a reviewer whose hands stay on the keys would.
 */
import { expect, type Page } from '@playwright/test';
import type { AppHarness } from './harness';

export type DemoClip = { readonly id: string; readonly asr: string };

/** The demo batch as main stored it: the playable clips in order, and the ids of those refused at import. */
export function demoBatch(app: AppHarness) {
  const batch = app.services.batches.list()[0];
  if (!batch) {
    throw new Error('The demo batch was not made.');
  }
  const all = app.services.vault.listClips(batch.id);
  const clips: DemoClip[] = all
    .filter((c) => c.state === 'ready')
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((c) => ({ id: c.id, asr: app.services.vault.openClip(batch.id, c.id).asrText }));
  const clip = (i: number): DemoClip => {
    const c = clips[i];
    if (!c) {
      throw new Error(`The demo batch has no clip ${i}.`);
    }
    return c;
  };
  return { batchId: batch.id, clips, clip, refused: app.services.vault.refusedClips(batch.id) };
}

/** Enter on the batch the list focused opens it; resolves once the first clip shows. */
export async function openBatchByKeyboard(page: Page): Promise<void> {
  await expect(page.locator('button.batch-open').first()).toBeFocused();
  await page.keyboard.press('Enter');
  // By id, not by name: the name is translated.
  await expect(page.locator('#transcript')).toBeFocused();
}

/** Speeds playback up to 2.0× (the rate stays for later clips) and waits until the clip is heard in full. */
export async function hearInFull(page: Page): Promise<void> {
  const rate = page.getByTestId('rate');
  while ((await rate.textContent()) !== 'Speed 2.0×') {
    await page.keyboard.press('Control+Period');
  }
  await expect(page.getByTestId('heard')).toHaveText('Heard in full', { timeout: 15_000 });
}

/** Selects the transcript's last word with Shift+Ctrl+Left, as a reviewer would. */
export async function selectLastWord(page: Page): Promise<string> {
  const box = page.getByRole('textbox', { name: 'Transcript' });
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Control+Shift+ArrowLeft');
  return box.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd).trim());
}

/** Selects the transcript's first word with Shift+Ctrl+Right. */
export async function selectFirstWord(page: Page): Promise<string> {
  const box = page.getByRole('textbox', { name: 'Transcript' });
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+Shift+ArrowRight');
  return box.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd).trim());
}

/** Waits until main has confirmed the open clip's draft. */
export async function expectSaved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
}

/** Presses Tab until `selector` has the focus, as a keyboard-only reviewer would; fails after `max` presses. */
export async function tabTo(page: Page, selector: string, max = 200): Promise<void> {
  const target = page.locator(selector);
  for (let i = 0; i < max; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement)) {
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} never took the focus`);
}
