import { expectAccessible } from './support/axe';
import { expect, test } from './support/harness';

/** The workstation's key is one key away from the batch list, readable, and closes with Esc. */
test('the device key dialog opens from the batch list by key and shows the fingerprint and state', async ({
  page,
  app,
}) => {
  await app.open();
  const batch = page.locator('button.batch-open').first();
  await expect(batch).toBeFocused();

  await page.keyboard.press('Control+Shift+K');
  const dialog = page.getByRole('dialog', { name: "This workstation's key" });
  await expect(dialog).toBeVisible();
  const { fingerprint, keyId } = app.services.device.info();
  const grouped = fingerprint.match(/.{4}/g)?.join(' ') ?? '';
  await expect(dialog.getByTestId('device-fingerprint')).toHaveText(grouped);
  await expect(dialog).toContainText(keyId);
  await expect(dialog.locator('[data-state]')).toHaveText('Not enrolled');
  await expect(dialog.getByRole('button', { name: 'Save public key…' })).toBeFocused();
  await expectAccessible(page);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(batch).toBeFocused();
});
