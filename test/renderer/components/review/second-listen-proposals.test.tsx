import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OwnListenRequest } from '../../../../shared/domain/hearing';
import { ok } from '../../../../shared/result';
import { pressKey, settle } from '../../../support/render';
import { testClipId } from '../../../support/ids';
import { REVIEW_BATCH } from '../../review/review-fixture';
import { mountReviewApp, type MountedReview } from './mount-review';

const forClip2: OwnListenRequest = {
  requestId: '00000000-0000-4000-8000-000000000002',
  batchId: REVIEW_BATCH,
  clipId: testClipId(2),
  span: { start: 0, end: 4 },
  window: { startMs: 0, endMs: 300 },
  state: 'answered',
  createdAt: 1,
  expiresAt: 2,
  helper: 'rv-b',
  proposal: 'switch',
};

describe('second-listen proposals on the review screen', () => {
  let app: MountedReview | undefined;
  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  const proposals = () => document.querySelectorAll('[data-testid="second-listen-proposal"]');

  it('reads the list main keeps once, and not again when the clip changes', async () => {
    const own: OwnListenRequest[] = [];
    const mine = vi.fn(() => Promise.resolve(ok<readonly OwnListenRequest[]>([...own])));
    app = await mountReviewApp({ api: (api) => ({ ...api, listen: { ...api.listen, mine } }) });
    await app.openBatch();
    await vi.waitFor(() => expect(mine).toHaveBeenCalledTimes(1));
    expect(proposals()).toHaveLength(0);

    // A sync cycle in main brought a proposal for the second clip.
    own.push(forClip2);
    await act(async () => {
      app?.main.services.events.emit('listen:changed', { waiting: 1 });
      await vi.waitFor(() => expect(mine).toHaveBeenCalledTimes(2));
    });
    expect(proposals()).toHaveLength(0);

    const { audio, store } = app;
    act(() => audio.hearToEnd());
    const box = document.querySelector('textarea.transcript');
    if (!box) {
      throw new Error('no transcript box');
    }
    pressKey(box, { code: 'Enter', ctrlKey: true });
    await settle(store, (s) => s.review.index === 1 && s.review.clip?.id === testClipId(2));
    await vi.waitFor(() => expect(proposals()).toHaveLength(1));
    expect(proposals()[0]?.textContent).toContain('switch');
    expect(mine).toHaveBeenCalledTimes(2);
  });
});
