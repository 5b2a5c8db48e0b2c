/**
 * The lock as an attacker at the keyboard tries it: restarting the app, signing out from the
 * lock screen, and a burst of unlock calls straight at `window.reviewer`.
 */
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FREE_TRIES } from '../../main/services/lock.service';
import type { TestService } from '../support/reference-service';
import { startApp, type RunningApp } from './support/app-harness';
import { serviceTest } from './support/harness';

const test = serviceTest.extend<{ dataDir: string }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'earmark-e2e-restart-'));
    try {
      await use(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

/** What the page gets asking main for a clip directly, as a CDP or console user would. */
const openClipCode = (page: Page, batchId: string, clipId: string): Promise<string> =>
  page.evaluate(
    async ([b, c]) => {
      const r = await window.reviewer.clips.open({ batchId: b, clipId: c });
      return r.ok ? 'ok' : r.error.code;
    },
    [batchId, clipId] as const,
  );

/**
 * Signs in and fetches the service's batch, then closes the app (its folder stays). In a page
 * of its own: the bridge is bound once per page, as IPC is once per window.
 */
async function firstRun(context: BrowserContext, bridgeScript: string, dataDir: string, svc: TestService) {
  const page = await context.newPage();
  const app = await startApp(page, bridgeScript, { serviceUrl: svc.url, dataDir });
  try {
    await app.services.sync.signIn(svc.credentials());
    await app.services.sync.syncNow();
    app.services.lock.lock('manual');
  } finally {
    app.dispose();
    await page.close();
  }
}

test('demo mode with a PIN: a restart shows the lock screen and main serves no clip', async ({
  context,
  page,
  bridgeScript,
  dataDir,
}) => {
  const before = await context.newPage();
  let app: RunningApp = await startApp(before, bridgeScript, { dataDir });
  app.services.demo.ensureDemoBatch();
  const batchId = app.services.batches.list()[0]?.id ?? '';
  const clipId = app.services.vault.listClips(batchId).find((c) => c.state === 'ready')?.id ?? '';
  await app.services.lock.setPin('482913');
  app.dispose();
  await before.close();

  app = await startApp(page, bridgeScript, { dataDir });
  try {
    await app.open({ demo: false });
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    expect(await openClipCode(page, batchId, clipId)).toBe('LOCKED');
    await page.getByLabel('PIN').fill('482913');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('lock-screen')).toBeHidden();
    expect(await openClipCode(page, batchId, clipId)).toBe('ok');
  } finally {
    app.dispose();
  }
});

test('service mode online: after a restart the lock screen asks for the password, and sign-out is refused', async ({
  context,
  page,
  bridgeScript,
  dataDir,
  svc,
}) => {
  await svc.addBatch('b-AAAAAAAAARESTART', 2);
  await firstRun(context, bridgeScript, dataDir, svc);
  const app = await startApp(page, bridgeScript, { serviceUrl: svc.url, dataDir });
  try {
    await app.open({ demo: false });
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    expect(await openClipCode(page, 'b-AAAAAAAAARESTART', 'c-AAAAAAAAAAAA0000')).toBe('LOCKED');
    // No sign-out is offered on the lock screen, and main refuses one asked for directly.
    await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    const signOut = await page.evaluate(async () => {
      const r = await window.reviewer.sync.signOut();
      return r.ok ? 'ok' : r.error.code;
    });
    expect(signOut).toBe('LOCKED');
    expect(app.services.lock.state().methods).toEqual(['password']);
    await page.getByLabel('Password').fill(svc.reviewer.password);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('lock-screen')).toBeHidden();
    expect(await openClipCode(page, 'b-AAAAAAAAARESTART', 'c-AAAAAAAAAAAA0000')).toBe('ok');
  } finally {
    app.dispose();
  }
});

test('service mode offline: the held password unlocks and sync waits for a sign-in', async ({
  context,
  page,
  bridgeScript,
  dataDir,
  svc,
}) => {
  await svc.addBatch('b-AAAAAAAAARESTART', 2);
  await firstRun(context, bridgeScript, dataDir, svc);
  const password = svc.reviewer.password;
  await svc.stop();
  const app = await startApp(page, bridgeScript, { serviceUrl: svc.url, dataDir });
  try {
    await app.open({ demo: false });
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    await page.getByLabel('Password').fill(password);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('lock-screen')).toBeHidden();
    expect(await openClipCode(page, 'b-AAAAAAAAARESTART', 'c-AAAAAAAAAAAA0000')).toBe('ok');
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-connection', 'signInRequired');
  } finally {
    app.dispose();
  }
});

test('parallel unlock calls are counted one by one and then made to wait', async ({ page, bridgeScript, dataDir }) => {
  const app = await startApp(page, bridgeScript, { dataDir });
  try {
    await app.open();
    await app.services.lock.setPin('482913');
    app.services.lock.lock('manual');
    const codes = await page.evaluate(async () => {
      const tries = await Promise.all(
        Array.from({ length: 50 }, (_, i) => window.reviewer.lock.unlock({ secret: String(100000 + i) })),
      );
      return tries.map((r) => (r.ok ? 'ok' : r.error.code));
    });
    expect(codes.filter((c) => c === 'WRONG_SECRET')).toHaveLength(FREE_TRIES);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(50 - FREE_TRIES);
    const right = await page.evaluate(async () => {
      const r = await window.reviewer.lock.unlock({ secret: '482913' });
      return r.ok ? 'ok' : r.error.code;
    });
    expect(right).toBe('RATE_LIMITED');
  } finally {
    app.dispose();
  }
});
