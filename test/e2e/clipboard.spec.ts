/**
 * No copy-out: whatever keys or drags a reviewer tries on the review screen, the OS clipboard
 * keeps what it held, while cut and paste inside the transcript still work.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './support/harness';
import { openBatchByKeyboard } from './support/review-steps';

const SENTINEL = 'held on the clipboard before the review';
const PROBE_ORIGIN = 'https://clipboard-probe.test';

/**
 * The OS clipboard, read and written from a page of its own origin: the app's own pages may not
 * use the clipboard API (its Permissions-Policy), and the test must not change the app to look.
 */
async function clipboardProbe(context: BrowserContext) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: PROBE_ORIGIN });
  const probe = await context.newPage();
  await probe.route(`${PROBE_ORIGIN}/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>probe</title>' }),
  );
  await probe.goto(`${PROBE_ORIGIN}/`);
  return {
    write: async (text: string) => {
      await probe.bringToFront();
      await probe.evaluate((t) => navigator.clipboard.writeText(t), text);
    },
    read: async () => {
      await probe.bringToFront();
      return probe.evaluate(() => navigator.clipboard.readText());
    },
  };
}

const transcript = (page: Page) => page.locator('#transcript');

test('copy, cut, Ctrl+Insert, Shift+Delete and a drag leave the clipboard alone; cut and paste work inside the transcript', async ({
  context,
  page,
  app,
}) => {
  const clipboard = await clipboardProbe(context);
  await clipboard.write(SENTINEL);
  await app.open();
  await page.bringToFront();
  await openBatchByKeyboard(page);
  const box = transcript(page);
  await expect(box).toBeFocused();

  // Inside the editor: every copy and cut key over a selection.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('alpha beta gamma');
  for (const keys of ['Control+C', 'Control+Insert']) {
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press(keys);
  }
  await expect(box).toHaveValue('alpha beta gamma');

  // Cut a word and paste it at the end: the in-app clipboard carries it.
  await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(6, 11));
  await page.keyboard.press('Control+X');
  await expect(box).toHaveValue('alpha gamma');
  await page.keyboard.press('End');
  await page.keyboard.type(' ');
  await page.keyboard.press('Control+V');
  await expect(box).toHaveValue('alpha gamma beta ');

  // Shift+Delete is a cut too.
  await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(0, 6));
  await page.keyboard.press('Shift+Delete');
  await expect(box).toHaveValue('gamma beta ');

  // Outside the editor: select the page's text and copy it; right-click it; drag it.
  const refused = await page.evaluate(() => {
    const seen: string[] = [];
    for (const type of ['copy', 'contextmenu', 'dragstart']) {
      window.addEventListener(type, (e) => seen.push(`${type}:${e.defaultPrevented ? 'refused' : 'allowed'}`));
    }
    (window as { __seen?: string[] }).__seen = seen;
    document.getSelection()?.selectAllChildren(document.body);
    return seen;
  });
  expect(refused).toEqual([]);
  await page.locator('h1, h2').first().click({ button: 'right' });
  await page.keyboard.press('Control+C');
  const header = page.locator('.clip-header');
  await header.hover();
  await page.mouse.down();
  await page.mouse.move(400, 600, { steps: 8 });
  await page.mouse.up();
  const seen = await page.evaluate(() => (window as { __seen?: string[] }).__seen ?? []);
  expect(seen).toEqual(expect.arrayContaining(['contextmenu:refused', 'dragstart:refused']));
  expect(seen.filter((s) => s.endsWith(':allowed'))).toEqual([]);

  expect(await clipboard.read()).toBe(SENTINEL);

  // Paste from outside still works. Headless pages all count as focused, so leaving the window
  // for another program is told to the page as the OS would tell it: a blur.
  await page.evaluate(() => window.dispatchEvent(new Event('blur')));
  await clipboard.write('from another program');
  await page.bringToFront();
  await box.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Control+V');
  await expect(box).toHaveValue('gamma beta from another program');
});
