import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/e2e/support/chromium';

/** The screenshot tool (test/screenshots): the e2e harness, one picture set per language and size. */
export default defineConfig({
  testDir: 'test/screenshots',
  testMatch: /\.shot\.ts$/,
  outputDir: 'test-results/screenshots-run',
  forbidOnly: true,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { browserName: 'chromium', launchOptions: chromiumLaunchOptions },
});
