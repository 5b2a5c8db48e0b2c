import { expect, test } from './support/harness';
import { demoBatch, openBatchByKeyboard } from './support/review-steps';

test.describe('consent withdrawn while a clip is open', () => {
  test('shows the notice in the clip’s place, counts the clip as withheld, and moves on by keyboard', async ({
    page,
    app,
  }) => {
    await app.open();
    const { batchId, clip } = demoBatch(app);
    await openBatchByKeyboard(page);
    await expect(page.getByTestId('clip-id')).toHaveText(clip(0).id);
    await page.getByRole('textbox', { name: 'Transcript' }).fill('typed on a clip about to be withdrawn');

    // What a sync does when the batch status names the clip.
    expect(app.services.consent.eraseWithdrawn(batchId, [clip(0).id], null)).toEqual([clip(0).id]);

    await expect(page.getByTestId('consent-withdrawn')).toHaveText(
      'Consent withdrawn: this clip was erased from this workstation, with any work on it not yet sent. It counts as withheld.',
    );
    await expect(page.getByRole('textbox', { name: 'Transcript' })).toHaveCount(0);
    await expect(page.getByRole('group', { name: 'Player' })).toHaveCount(0);
    expect(() => app.services.annotations.work(batchId, clip(0).id)).toThrow(/withdrawn/);

    await page.keyboard.press('Control+BracketRight');
    await expect(page.getByTestId('clip-id')).toHaveText(clip(1).id);
    // One counting rule: all 15 clips, the two withheld named.
    await expect(page.getByTestId('withheld')).toHaveText('Withheld, consent withdrawn: 2');
    await page.keyboard.press('Control+BracketLeft');
    await expect(page.getByTestId('consent-withdrawn')).toBeVisible();
  });
});
