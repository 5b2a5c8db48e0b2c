/**
 * The Playwright fixture over the browser harness (app-harness.ts): each test gets the app in
 * its own page, over real services in its own temporary data folder.
 */
import { test as base } from '@playwright/test';
import { startTestService, type TestService } from '../../support/reference-service';
import { buildBridge, startApp, type AppHarness } from './app-harness';

export { TEST_ORIGIN, type AppHarness } from './app-harness';

export const test = base.extend<{ app: AppHarness }, { bridgeScript: string }>({
  bridgeScript: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
    async ({}, use) => {
      await use(await buildBridge());
    },
    { scope: 'worker' },
  ],
  app: async ({ page, bridgeScript }, use) => {
    const app = await startApp(page, bridgeScript);
    try {
      await use(app);
    } finally {
      app.dispose();
    }
  },
});

/**
 * The same fixture with a reference service of the test's own (`svc`, stopped after the test);
 * the app is started by the spec, signed in or pointed at the service as it needs.
 */
export const serviceTest = test.extend<{ svc: TestService }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
  svc: async ({}, use) => {
    const svc = await startTestService();
    try {
      await use(svc);
    } finally {
      await svc.stop();
    }
  },
});

export { expect } from '@playwright/test';
