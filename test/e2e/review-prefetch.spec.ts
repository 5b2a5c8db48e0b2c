import type { IpcCall } from './support/app-harness';
import { expect, test } from './support/harness';
import { demoBatch, hearInFull, openBatchByKeyboard } from './support/review-steps';

const asks = (calls: readonly IpcCall[], channel: string, clipId: string): number =>
  calls.filter((c) => c.channel === channel && (c.payload as { clipId?: unknown }).clipId === clipId).length;

test.describe('prefetch', () => {
  test('moves to a prefetched clip without asking main for its audio or its saved work', async ({ page, app }) => {
    await app.open();
    const { clip } = demoBatch(app);
    await openBatchByKeyboard(page);
    // The next three clips are opened and their saved work read while the first one plays.
    await expect.poll(() => [1, 2, 3].map((i) => asks(app.calls, 'clips:open', clip(i).id))).toEqual([1, 1, 1]);
    await expect.poll(() => [1, 2, 3].map((i) => asks(app.calls, 'annotations:work', clip(i).id))).toEqual([1, 1, 1]);
    await hearInFull(page);

    const before = app.calls.length;
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('clip-id')).toHaveText(clip(1).id);
    await expect(page.getByRole('group', { name: 'Player' })).toHaveAttribute('data-playing', 'true');
    await page.keyboard.press('Control+BracketRight');
    await expect(page.getByTestId('clip-id')).toHaveText(clip(2).id);

    const after = app.calls.slice(before);
    for (const i of [1, 2]) {
      expect(asks(after, 'clips:open', clip(i).id), `clips:open ${i}`).toBe(0);
      expect(asks(after, 'annotations:work', clip(i).id), `annotations:work ${i}`).toBe(0);
    }
    // Second-listen proposals are filtered from the list the screen read when it opened.
    expect(after.filter((c) => c.channel.startsWith('listen:')).map((c) => c.channel)).toEqual([]);
    // The window moved on: the clips now three ahead were fetched in the background.
    await expect.poll(() => [4, 5].map((i) => asks(app.calls.slice(before), 'clips:open', clip(i).id))).toEqual([1, 1]);
  });
});
