/**
 * A picture of every screen and state, at the laptop sizes and on a wide screen, in every
 * language: the files a reviewer of the interface looks at (`npm run screenshots -- --out DIR`).
 * It drives the app through the e2e harness by keyboard, as the specs do.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../e2e/support/harness';
import { openBatchByKeyboard } from '../e2e/support/review-steps';
import {
  LANGUAGES,
  LAPTOP_VIEWPORTS,
  longText,
  replaceTranscript,
  tagCriticalWord,
  tagWords,
} from '../e2e/support/screen-states';
import { signInVouched } from '../support/signed-identity';

const OUT = process.env['EARMARK_SCREENSHOTS_OUT'] ?? 'test-results/screenshots';
const VIEWPORTS = [...LAPTOP_VIEWPORTS, { width: 1920, height: 1080 }] as const;

for (const viewport of VIEWPORTS) {
  for (const language of LANGUAGES) {
    test.describe(`${language} at ${viewport.width}×${viewport.height}`, () => {
      test.use({ viewport });

      test('every screen', async ({ page, app }) => {
        test.setTimeout(120_000);
        mkdirSync(OUT, { recursive: true });
        const shot = async (state: string): Promise<void> => {
          // Let transitions and the settled diff land before the picture.
          await page.waitForTimeout(250);
          await page.screenshot({ path: join(OUT, `${language}-${viewport.width}x${viewport.height}-${state}.png`) });
        };
        app.services.settings.update({ uiLanguage: language });
        await app.open({ demo: false });
        await shot('batch-list-empty');
        app.services.demo.ensureDemoBatch();
        await page.reload();
        await expect(page.locator('button.batch-open').first()).toBeFocused();
        await shot('batch-list');
        await overlay(page, 'F1', () => shot('help'));
        await overlay(page, 'F2', () => shot('settings'));
        await overlay(page, 'Control+Shift+K', () => shot('device-key'));
        await openBatchByKeyboard(page);
        await page.keyboard.press('Control+K');
        await shot('review-0-tags');
        await page.keyboard.press('Control+Enter');
        await shot('review-warning');
        await overlay(page, 'F1', () => shot('review-help'));
        // The last word selected by keyboard (the box's name is translated, so it is found by id).
        await page.keyboard.press('Control+End');
        await page.keyboard.press('Control+Shift+ArrowLeft');
        await overlay(page, 'Control+Shift+C', () => shot('dialog-critical'));
        await overlay(page, 'Control+Shift+N', () => shot('dialog-entity'));
        await overlay(page, 'Control+Shift+E', () => shot('dialog-escalation'));
        await replaceTranscript(page, longText(240));
        await tagWords(page, 3);
        await shot('review-3-tags');
        // Two tags on one word must read as two.
        await tagCriticalWord(page, 1);
        await shot('review-overlapping-tags');
        await tagWords(page, 8);
        await shot('review-12-tags');
        await replaceTranscript(page, longText(4_000));
        await shot('review-long-transcript');
        await page.locator('.pace-actions button').first().click();
        await shot('break');
        await page.keyboard.press('Enter');
        await page.keyboard.press('Alt+ArrowLeft');
        // A supervisor on this workstation sees the shift reports.
        signInVouched(app.services, { pseudonym: 'sv-1', role: 'supervisor' });
        await page.reload();
        await page.locator('button.reports-button').click();
        await expect(page.getByTestId('report-screen')).toBeVisible();
        await shot('reports');
        await page.keyboard.press('Alt+ArrowLeft');
        await page.keyboard.press('Control+Shift+L');
        await shot('lock');
      });
    });
  }
}

/** Opens an overlay with `key`, takes its picture and closes it with Esc. */
async function overlay(page: Page, key: string, take: () => Promise<void>): Promise<void> {
  await page.keyboard.press(key);
  await take();
  await page.keyboard.press('Escape');
}
