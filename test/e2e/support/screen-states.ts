/**
 * Brings the review screen into the states a reviewer meets on a long day: a clip with many tags
 * and one with a very long transcript. Shared by the layout spec and the screenshot tool.
 */
import { expect, type Page } from '@playwright/test';

export const LANGUAGES = ['en', 'es', 'ro'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A laptop at 1280×720 less the window's chrome, and the same laptop at 125% scaling. */
export const LAPTOP_VIEWPORTS = [
  { width: 1280, height: 650 },
  { width: 1024, height: 576 },
] as const;

const WORDS = 'please hold while we try to connect you to the next available agent thank you for waiting'.split(' ');

/** About `chars` characters of plain words, as a long dictated message would be. */
export function longText(chars: number): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i += 1) {
    const word = WORDS[i % WORDS.length] ?? 'word';
    out.push(word);
    length += word.length + 1;
  }
  return out.join(' ').slice(0, chars).trimEnd();
}

/** Replaces the transcript by `text` as typed input (the draft saver sees it), caret at the end. */
export async function replaceTranscript(page: Page, text: string): Promise<void> {
  const box = page.locator('#transcript');
  await box.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await expect(box).toHaveValue(text);
}

/** Selects word `n` of the transcript (counted from 0) as a reviewer would, by keyboard. */
async function selectWord(page: Page, n: number): Promise<void> {
  await page.locator('#transcript').evaluate((el: HTMLTextAreaElement, i: number) => {
    const word = [...el.value.matchAll(/\S+/g)][i];
    if (!word) {
      throw new Error(`The transcript has no word ${i}.`);
    }
    el.setSelectionRange(word.index, word.index + word[0].length);
  }, n);
}

/** Tags word `n` as critical data (the menu's first category), on top of any tag it has. */
export async function tagCriticalWord(page: Page, n: number): Promise<void> {
  const rows = page.getByTestId('tag-list').getByRole('listitem');
  const before = await rows.count();
  await selectWord(page, n);
  await page.keyboard.press('Control+Shift+C');
  await page.keyboard.press('Enter');
  await expect(rows).toHaveCount(before + 1);
}

/**
 * Tags the first `count` words of the transcript as entities (the menu's first type), one by one
 * through the tag hotkey, as a reviewer would; the transcript must have that many words.
 */
export async function tagWords(page: Page, count: number): Promise<void> {
  const rows = page.getByTestId('tag-list').getByRole('listitem');
  const before = await rows.count();
  for (let i = 0; i < count; i += 1) {
    await selectWord(page, before + i);
    await page.keyboard.press('Control+Shift+N');
    await page.keyboard.press('Enter');
    await expect(rows).toHaveCount(before + i + 1);
  }
}
