import { invokeChannels, pushEvents } from '../../shared/ipc/channels';
import { expect, test, TEST_ORIGIN } from './support/harness';

test.describe('renderer isolation', () => {
  test.beforeEach(async ({ app }) => {
    await app.open();
  });

  test('has no Node globals and no raw IPC', async ({ page }) => {
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      module: typeof (globalThis as { module?: unknown }).module,
      ipc: typeof (globalThis as { ipcRenderer?: unknown }).ipcRenderer,
      domains: Object.keys(window.reviewer).sort(),
    }));
    expect(globals).toEqual({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      ipc: 'undefined',
      domains: [...new Set([...invokeChannels, ...pushEvents].map((c) => c.split(':')[0]))].sort(),
    });
  });

  test('does not run an injected inline script, and reports the violation', async ({ page }) => {
    const outcome = await page.evaluate(async () => {
      const violation = new Promise<string>((done) =>
        document.addEventListener('securitypolicyviolation', (e) => done(e.effectiveDirective), { once: true }),
      );
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true;';
      document.body.append(script);
      return { directive: await violation, ran: (window as { __injected?: boolean }).__injected === true };
    });
    expect(outcome).toEqual({ directive: 'script-src-elem', ran: false });
  });

  test('refuses code built from strings and inline event handlers', async ({ page }) => {
    // page.evaluate itself runs through DevTools, which CSP exempts; the code it schedules does not.
    const outcome = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      const w = window as { __fromString?: boolean; __clicked?: boolean };
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point of the test: CSP must stop it.
      setTimeout('window.__fromString = true', 0);
      const div = document.createElement('div');
      div.setAttribute('onclick', 'window.__clicked = true');
      document.body.append(div);
      div.click();
      await new Promise((done) => setTimeout(done, 50));
      return { fromString: w.__fromString === true, clicked: w.__clicked === true, violations: violations.sort() };
    });
    expect(outcome).toEqual({ fromString: false, clicked: false, violations: ['script-src', 'script-src-attr'] });
  });

  test('blocks navigating away from the app', async ({ page }) => {
    const pseudonym = page.getByTestId('reviewer');
    await expect(pseudonym).toContainText('demo-');
    const refused = page.waitForResponse((r) => r.url().startsWith('https://example.com'));
    await page.evaluate(() => {
      window.location.href = 'https://example.com/steal';
    });
    const response = await refused;
    expect(response.request().isNavigationRequest()).toBe(true);
    expect(response.status()).toBe(204);
    expect(new URL(page.url()).origin).toBe(TEST_ORIGIN);
    await expect(pseudonym).toContainText('demo-');
    expect(await page.evaluate(() => typeof window.reviewer.app.getInfo)).toBe('function');
  });

  test('refuses the microphone and camera', async ({ page }) => {
    // The browser has fake capture devices, so this is a refusal, not a missing device.
    const outcome = await page.evaluate(async () => {
      const policy = (document as { featurePolicy?: { allowsFeature(f: string): boolean } }).featurePolicy;
      let result: string;
      try {
        await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
        result = 'granted';
      } catch (error) {
        result = error instanceof DOMException ? error.name : String(error);
      }
      return {
        result,
        microphoneAllowed: policy?.allowsFeature('microphone'),
        cameraAllowed: policy?.allowsFeature('camera'),
      };
    });
    expect(outcome).toEqual({ result: 'NotAllowedError', microphoneAllowed: false, cameraAllowed: false });
  });
});
