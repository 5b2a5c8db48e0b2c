import { latestVersion } from '../../main/db/migrate';
import { expect, test } from './support/harness';

test.describe('app frame', () => {
  test('shows the demo reviewer and an empty batch list', async ({ page, app }) => {
    await app.open({ demo: false });
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
    expect(info).toEqual({
      ok: true,
      value: { name: 'Earmark', version: '0.0.0-e2e', schemaVersion: latestVersion() },
    });
    const bad = await page.evaluate(() =>
      (window.reviewer.batches.get as (r: unknown) => Promise<unknown>)({ batchId: '../../etc/passwd' }),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const missing = await page.evaluate(() => window.reviewer.batches.get({ batchId: 'b-AAAAAAAAAAAAA404' }));
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  test('shows the demo batch made from the bundled recordings', async ({ page, app }) => {
    await app.open();
    const [batch] = app.services.batches.list();
    expect(batch).toMatchObject({ clipCount: 15, status: 'active', locale: 'en-US' });
    const item = page.getByRole('listitem').filter({ hasText: batch?.id ?? 'missing' });
    await expect(item).toContainText('0 of 15 clips reviewed');
  });

  test('hands a decrypted clip to the page as bytes, never as a URL', async ({ page, app }) => {
    await app.open();
    const batchId = app.services.batches.list()[0]?.id ?? '';
    const result = await page.evaluate(async (id) => {
      const list = await window.reviewer.clips.list({ batchId: id });
      if (!list.ok) {
        return { error: list.error.code };
      }
      const first = list.value.find((c) => c.state === 'ready');
      const clip = await window.reviewer.clips.open({ batchId: id, clipId: first?.id ?? '' });
      if (!clip.ok) {
        return { error: clip.error.code };
      }
      const head = String.fromCharCode(...clip.value.audio.slice(0, 4));
      return {
        count: list.value.length,
        isBytes: clip.value.audio instanceof Uint8Array,
        head,
        asr: clip.value.asrText.length > 0,
        hasUrl: JSON.stringify(Object.keys(clip.value)).includes('url'),
      };
    }, batchId);
    expect(result).toEqual({ count: 14, isBytes: true, head: 'OggS', asr: true, hasUrl: false });
  });

  test('shows batches that main pushes', async ({ page, app }) => {
    await app.open({ demo: false });
    await expect(page.getByText('No batches on this workstation yet.')).toBeVisible();
    app.services.events.emit('batches:changed', [
      {
        id: 'b-AAAAAAAA20261122',
        locale: 'en-US',
        clipCount: 12,
        doneCount: 3,
        withheld: { consentWithdrawn: 0, quarantined: 0 },
        expiresAt: Date.UTC(2026, 11, 1),
        status: 'active',
      },
    ]);
    const item = page.getByRole('listitem').filter({ hasText: 'b-AAAAAAAA20261122' });
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
