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
  timeout: 30_000,
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
