import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/e2e/support/chromium';

/** E2E runs in real Chromium, launched as test/e2e/support/chromium.ts says. */
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  forbidOnly: true,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // A guard against a hang, not a measure of speed: several specs walk many screens and take
  // 15–30 s on a quiet 2-core machine, and a suite run beside other work must still pass.
  timeout: 120_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  projects: [
    {
      name: 'chromium',
      testIgnore: /electron\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 720 },
        launchOptions: chromiumLaunchOptions,
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
});
