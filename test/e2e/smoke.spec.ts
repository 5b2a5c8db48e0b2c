import { expect, test } from './support/harness';

test.describe('app frame', () => {
  test('shows the demo reviewer and an empty batch list', async ({ page, app }) => {
    await app.open();
    await expect(page).toHaveTitle('Earmark');
    const { pseudonym } = app.services.session.get().identity;
    await expect(page.getByTestId('reviewer')).toHaveText(`Reviewer ${pseudonym}`);
    await expect(page.getByText('Demo mode')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Batches' })).toBeVisible();
    await expect(page.getByText('No batches on this workstation yet.')).toBeVisible();
    await expect(page.getByText('Version 0.0.0-e2e')).toBeVisible();
  });

  test('round-trips typed data and typed errors through the IPC bridge', async ({ page, app }) => {
    await app.open();
    const info = await page.evaluate(() => window.reviewer.app.getInfo());
    expect(info).toEqual({ ok: true, value: { name: 'Earmark', version: '0.0.0-e2e', schemaVersion: 1 } });
    const bad = await page.evaluate(() =>
      (window.reviewer.batches.get as (r: unknown) => Promise<unknown>)({ batchId: '../../etc/passwd' }),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const missing = await page.evaluate(() => window.reviewer.batches.get({ batchId: 'b-404' }));
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  test('shows batches that main pushes', async ({ page, app }) => {
    await app.open();
    await expect(page.getByText('No batches on this workstation yet.')).toBeVisible();
    app.services.events.emit('batches:changed', [
      { id: 'b-2026-11-22', locale: 'en-US', clipCount: 12, doneCount: 3, expiresAt: Date.UTC(2026, 11, 1), status: 'active' },
    ]);
    const item = page.getByRole('listitem').filter({ hasText: 'b-2026-11-22' });
    await expect(item).toContainText('3 of 12 clips reviewed');
    await expect(item).toContainText('Active');
  });

  test('opens and closes the shortcut help from the keyboard', async ({ page, app }) => {
    await app.open();
    await page.keyboard.press('F1');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('row', { name: /Show or hide keyboard shortcuts/ })).toContainText('F1');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });
});
