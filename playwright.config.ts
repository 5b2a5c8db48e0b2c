import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

/**
 * E2E runs in real Chromium: Debian's /usr/bin/chromium (or EARMARK_CHROMIUM) where present,
 * otherwise Playwright's own browser if one is installed. The flags keep a closed network quiet.
 */
const systemChromium = process.env['EARMARK_CHROMIUM'] ?? '/usr/bin/chromium';
const executablePath = existsSync(systemChromium) ? systemChromium : undefined;

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  forbidOnly: true,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  projects: [
    {
      name: 'chromium',
      testIgnore: /electron\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 720 },
        launchOptions: {
          ...(executablePath ? { executablePath } : {}),
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--autoplay-policy=no-user-gesture-required',
            // A fake microphone and camera exist, so a refused getUserMedia proves a refusal, not a missing device.
            '--use-fake-device-for-media-stream',
          ],
        },
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
});
