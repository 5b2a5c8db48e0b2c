/**
 * Signing in to the real reference service on loopback, from the keyboard: the sign-in screen,
 * a clear refusal, the batches the service assigns, the sync indicator, a revoked batch, and a
 * session that expires and is renewed without losing saved work.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { startApp } from './support/app-harness';
import { expectAccessible } from './support/axe';
import { expect, serviceTest } from './support/harness';

// The app of each test is pointed at the test's own service.
const test = serviceTest.extend({
  app: async ({ page, bridgeScript, svc }, use) => {
    const app = await startApp(page, bridgeScript, { serviceUrl: svc.url });
    try {
      await use(app);
    } finally {
      app.dispose();
    }
  },
});

async function signInByKeyboard(
  page: Page,
  account: string,
  password: string,
  code: string,
  enrolmentCode?: string,
): Promise<void> {
  await expect(page.getByLabel('Account')).toBeFocused();
  await page.keyboard.type(account);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Tab');
  await page.keyboard.type(code);
  if (enrolmentCode !== undefined) {
    await page.keyboard.press('Tab');
    await page.keyboard.type(enrolmentCode);
  }
  await page.keyboard.press('Enter');
}

test('a reviewer signs in with password and one-time code and sees the service batches and sync status', async ({
  page,
  app,
  svc,
}) => {
  await svc.addBatch('b-AAAAAAAAAE2ESYNC', 3);
  await app.open({ demo: false });
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-connection', 'signedOut');
  await expectAccessible(page);

  await signInByKeyboard(page, svc.reviewer.account, 'wrong password', svc.nextCode());
  await expect(page.getByRole('alert')).toHaveText(
    'The account, password or one-time code is wrong. Check them and use a new code.',
  );
  await expect(page.getByLabel('One-time code')).toHaveValue('');

  await page.getByLabel('Account').focus();
  await page.getByLabel('Account').fill('');
  await signInByKeyboard(page, svc.reviewer.account, svc.reviewer.password, svc.nextCode(), svc.enrolmentCode());
  await expect(page.getByTestId('reviewer')).toHaveText(`Reviewer ${svc.reviewer.pseudonym}`);
  await expect(page.locator('.batch-open')).toHaveCount(1);
  await expect(page.locator('.batch-open')).toContainText('b-AAAAAAAAAE2ESYNC');
  const status = page.getByTestId('sync-status');
  await expect(status).toHaveAttribute('data-connection', 'online');
  await expect(page.getByTestId('sync-pending')).toHaveText('Waiting to sync: 0');
  await expect(status).toContainText('Last sync');
  await expectAccessible(page);
});

test('a revoked batch is erased within one sync, and an expired session asks to sign in again', async ({
  page,
  app,
  svc,
}) => {
  await svc.addBatch('b-AAAAAAAE2EREV0KE', 2);
  await app.open({ demo: false });
  await signInByKeyboard(page, svc.reviewer.account, svc.reviewer.password, svc.nextCode(), svc.enrolmentCode());
  await expect(page.locator('.batch-open')).toContainText('b-AAAAAAAE2EREV0KE');
  const saved = app.services.annotations.submit({
    batchId: 'b-AAAAAAAE2EREV0KE',
    clipId: 'c-AAAAAAAAAAAA0000',
    basedOnRevision: 0,
    disposition: 'noise_only',
    body: { transcript: '', critical: [], entities: [] },
  });

  await svc.service.core.store.batches.revoke('b-AAAAAAAE2EREV0KE', svc.now());
  await app.services.sync.syncNow();
  await expect(page.locator('.batch-open')).toContainText('Revoked');
  expect((await svc.service.core.store.ops.current('b-AAAAAAAE2EREV0KE')).map((c) => c.opId)).toEqual([saved.opId]);

  svc.advance(9 * 60 * 60 * 1000);
  await app.services.sync.syncNow();
  const status = page.getByTestId('sync-status');
  await expect(status).toHaveAttribute('data-connection', 'signInRequired');
  await page.getByRole('button', { name: 'Sign in again' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in again' })).toBeVisible();
  await expectAccessible(page);
  await signInByKeyboard(page, svc.reviewer.account, svc.reviewer.password, svc.nextCode());
  await expect(status).toHaveAttribute('data-connection', 'online');
});

test('a revision the service refused for its base shows in the sync panel and is resent on top', async ({
  page,
  app,
  svc,
}) => {
  await svc.addBatch('b-AAAAAAAE2EWR1TER', 2);
  await app.open({ demo: false });
  await signInByKeyboard(page, svc.reviewer.account, svc.reviewer.password, svc.nextCode(), svc.enrolmentCode());
  await expect(page.locator('.batch-open')).toContainText('b-AAAAAAAE2EWR1TER');
  // Revision 1 of the clip reached the service from elsewhere (a results package of another station).
  await svc.service.core.store.ops.apply(
    'annotation',
    svc.reviewer.account,
    [
      {
        opId: randomUUID(),
        payload: { elsewhere: true },
        revision: {
          batchId: 'b-AAAAAAAE2EWR1TER',
          clipId: 'c-AAAAAAAAAAAA0000',
          revision: 1,
          baseRevision: 0,
          baseOpId: null,
        },
        refusal: null,
      },
    ],
    svc.now(),
  );
  app.services.annotations.submit({
    batchId: 'b-AAAAAAAE2EWR1TER',
    clipId: 'c-AAAAAAAAAAAA0000',
    basedOnRevision: 0,
    disposition: 'noise_only',
    body: { transcript: '', critical: [], entities: [] },
  });
  await app.services.sync.syncNow();
  const panel = page.getByTestId('sync-attention');
  await expect(panel).toContainText('Needs attention: 1');
  await panel.locator('summary').click();
  const item = page.getByTestId('sync-attention-item');
  await expect(item).toHaveAttribute('data-code', 'base_stale');
  await expect(item).toContainText('the clip was changed on another workstation (the service holds revision 1)');
  await expectAccessible(page);
  await item.getByRole('button', { name: 'Resend as a new revision' }).click();
  await app.services.sync.syncNow();
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('sync-pending')).toHaveText('Waiting to sync: 0');
  expect((await svc.service.core.store.ops.current('b-AAAAAAAE2EWR1TER')).map((c) => [c.clipId, c.revision])).toEqual([
    ['c-AAAAAAAAAAAA0000', 2],
  ]);
});
