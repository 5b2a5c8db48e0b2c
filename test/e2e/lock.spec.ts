import type { Page } from '@playwright/test';
import { FIRST_WAIT_MS, FREE_TRIES } from '../../main/services/lock.service';
import { makeTestClock } from '../support/services';
import { startApp, type RunningApp } from './support/app-harness';
import { expectAccessible } from './support/axe';
import { expect, test } from './support/harness';
import { demoBatch, openBatchByKeyboard, tabTo } from './support/review-steps';

/**
 * Records, in the page, every media element that was played and every object URL still alive,
 * so a spec can see that the lock stopped the audio and let go of the decoded clips.
 */
const MEDIA_PROBE = `(() => {
  const probe = { played: new Set(), live: new Set() };
  window.__mediaProbe = probe;
  const play = HTMLMediaElement.prototype.play;
  // Only clip audio: Howler also "plays" empty elements to learn whether autoplay is allowed.
  HTMLMediaElement.prototype.play = function () { if (this.src.startsWith('blob:')) probe.played.add(this); return play.call(this); };
  const create = URL.createObjectURL.bind(URL);
  const revoke = URL.revokeObjectURL.bind(URL);
  URL.createObjectURL = (blob) => { const url = create(blob); probe.live.add(url); return url; };
  URL.revokeObjectURL = (url) => { probe.live.delete(url); revoke(url); };
})();`;

type MediaFacts = {
  readonly played: number;
  readonly playing: number;
  readonly withSource: number;
  readonly liveUrls: number;
};

const mediaFacts = (page: Page): Promise<MediaFacts> =>
  page.evaluate(() => {
    const probe = (window as unknown as { __mediaProbe: { played: Set<HTMLMediaElement>; live: Set<string> } })
      .__mediaProbe;
    const played = [...probe.played];
    return {
      played: played.length,
      playing: played.filter((m) => !m.paused).length,
      withSource: played.filter((m) => m.getAttribute('src')).length,
      liveUrls: probe.live.size,
    };
  });

const PIN = '2468';

test.describe('lock', () => {
  let app: RunningApp | undefined;
  test.afterEach(() => {
    app?.dispose();
    app = undefined;
  });

  test('demo mode: a PIN set by keyboard, the lock hotkey, a wait after wrong PINs, and the same clip and draft back', async ({
    page,
    bridgeScript,
  }) => {
    const clock = makeTestClock(Date.now());
    app = await startApp(page, bridgeScript, { clock });
    await page.addInitScript({ content: MEDIA_PROBE });
    await app.open();
    const { clip } = demoBatch(app);

    // The PIN, in the settings, by keyboard alone.
    await page.keyboard.press('F2');
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings).toBeVisible();
    const pinSection = settings.getByRole('group', { name: 'Unlock PIN' });
    await expect(pinSection.getByTestId('pin-state')).toHaveText('No PIN is set yet.');
    await tabTo(page, '[data-testid="pin-settings"] input >> nth=0');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Tab');
    await page.keyboard.type('2469');
    await page.keyboard.press('Enter');
    await expect(pinSection.getByTestId('pin-error')).toHaveText(
      'The two PINs are not the same. Type the same PIN in both fields.',
    );
    await page.keyboard.press('Backspace');
    await page.keyboard.type('8');
    await page.keyboard.press('Enter');
    await expect(pinSection.getByTestId('pin-status')).toHaveText('PIN saved. From now on it unlocks Earmark.');
    await expect(pinSection.getByTestId('pin-state')).toHaveText('A PIN is set. Enter a new one twice to change it.');
    expect(app.services.lock.state().methods).toEqual(['pin']);
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await expect(settings).toBeHidden();

    // At work on the second clip: playing, with a draft still being typed.
    await openBatchByKeyboard(page);
    await page.keyboard.press('Control+BracketRight');
    await expect(page.getByTestId('clip-id')).toHaveText(clip(1).id);
    await expect(page.locator('#transcript')).toBeFocused();
    await page.keyboard.press('Control+KeyI');
    const draft = `${clip(1).asr} kept across the lock`;
    await page.locator('#transcript').fill(draft);
    await expect.poll(async () => (await mediaFacts(page)).played).toBeGreaterThan(0);

    await page.keyboard.press('Control+Shift+KeyL');
    const lockScreen = page.getByTestId('lock-screen');
    await expect(lockScreen).toBeVisible();
    await expect(lockScreen).toContainText('You locked it.');
    expect(app.services.lock.state()).toMatchObject({ locked: true, reason: 'manual' });
    // Nothing of the review is left in the page: no transcript, no clip id, no draft text.
    await expect(page.locator('#transcript')).toHaveCount(0);
    await expect(page.getByTestId('clip-id')).toHaveCount(0);
    await expect(page.locator('body')).not.toContainText('kept across the lock');
    await expect(page.locator('body')).not.toContainText(clip(1).id);
    // The audio stopped and its media let go; every object URL of a decoded clip was revoked.
    await expect.poll(() => mediaFacts(page)).toMatchObject({ playing: 0, withSource: 0, liveUrls: 0 });
    await expectAccessible(page);

    // A wrong PIN is refused; after a few, a wait (main's clock decides when it ends).
    const pinBox = lockScreen.getByLabel('PIN');
    await expect(pinBox).toBeFocused();
    await page.keyboard.type('1357');
    await page.keyboard.press('Enter');
    await expect(lockScreen.getByTestId('lock-error')).toHaveText('That password or PIN is not right.');
    await expect(pinBox).toHaveValue('');
    for (let i = 1; i < FREE_TRIES; i += 1) {
      await page.keyboard.type('1357');
      await page.keyboard.press('Enter');
      await expect(pinBox).toHaveValue('');
    }
    await expect(lockScreen.getByTestId('lock-error')).toContainText('You can try again at');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Enter');
    await expect(lockScreen.getByTestId('lock-error')).toHaveText(/^You can try again at /);
    expect(app.services.lock.isLocked()).toBe(true);
    await expectAccessible(page);

    clock.advance(FIRST_WAIT_MS);
    await page.keyboard.type(PIN);
    await page.keyboard.press('Enter');
    await expect(lockScreen).toBeHidden();
    // The same clip, with the draft that was being typed when it locked.
    await expect(page.getByTestId('clip-id')).toHaveText(clip(1).id);
    await expect(page.locator('#transcript')).toHaveValue(draft);
    expect(app.services.annotations.work(demoBatch(app).batchId, clip(1).id).draft?.transcript).toBe(draft);
  });

  test('in Spanish, a refused unlock says why in Spanish and shows no English', async ({ page, bridgeScript }) => {
    const clock = makeTestClock(Date.now());
    app = await startApp(page, bridgeScript, { clock });
    app.services.settings.update({ uiLanguage: 'es' });
    await app.services.lock.setPin(PIN);
    await app.open();
    app.services.lock.lock('manual');
    const lockScreen = page.getByTestId('lock-screen');
    await expect(lockScreen).toBeVisible();
    await expect(lockScreen.getByRole('heading')).toHaveText('Earmark está bloqueado');

    const pinBox = lockScreen.getByLabel('PIN');
    await pinBox.fill('1357');
    await page.keyboard.press('Enter');
    await expect(lockScreen.getByTestId('lock-error')).toHaveText('La contraseña o el PIN no son correctos.');
    for (let i = 1; i < FREE_TRIES; i += 1) {
      await pinBox.fill('1357');
      await page.keyboard.press('Enter');
      await expect(pinBox).toHaveValue('');
    }
    await expect(lockScreen.getByTestId('lock-error')).toContainText('Puedes volver a intentarlo a las');
    await pinBox.fill(PIN);
    await page.keyboard.press('Enter');
    await expect(lockScreen.getByTestId('lock-error')).toHaveText(/^Puedes volver a intentarlo a las /);
    // Neither main's English messages nor the English screen text: nothing a Spanish reviewer cannot read.
    for (const english of ['not right', 'Too many', 'wait a moment', 'Unlock', 'locked', 'Your work']) {
      await expect(lockScreen).not.toContainText(english);
    }
    expect(app.services.lock.isLocked()).toBe(true);
  });

  test('demo mode without a PIN: locks itself after the idle minutes, and the reviewer confirms to go on', async ({
    page,
    bridgeScript,
  }) => {
    app = await startApp(page, bridgeScript);
    app.services.settings.update({ idleLockMinutes: 1 });
    await page.addInitScript({ content: MEDIA_PROBE });
    // The page's clock: a minute of no input passes in an instant, with no sleep.
    await page.clock.install();
    await app.open();
    const { clip } = demoBatch(app);
    await openBatchByKeyboard(page);
    await expect(page.getByTestId('clip-id')).toHaveText(clip(0).id);

    await page.clock.fastForward('00:50');
    await expect(page.getByTestId('lock-screen')).toHaveCount(0);
    await page.clock.fastForward('00:11');
    const lockScreen = page.getByTestId('lock-screen');
    await expect(lockScreen).toBeVisible();
    await expect(lockScreen).toContainText('It locked itself after a while without input.');
    await expect(lockScreen).toContainText('No PIN is set, so there is nothing to type.');
    expect(app.services.lock.state()).toMatchObject({ locked: true, reason: 'idle', methods: ['none'] });
    await expect(page.locator('#transcript')).toHaveCount(0);
    await expect.poll(() => mediaFacts(page)).toMatchObject({ playing: 0, liveUrls: 0 });
    await expectAccessible(page);

    const go = lockScreen.getByRole('button', { name: 'Continue' });
    await expect(go).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(lockScreen).toBeHidden();
    await expect(page.getByTestId('clip-id')).toHaveText(clip(0).id);
  });
});
