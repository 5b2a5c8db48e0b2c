import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { pressKey, settle } from '../../../support/render';
import { mountReviewApp, type MountedReview } from './mount-review';

describe('entity tag menu', () => {
  let app: MountedReview | undefined;

  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  const radios = (): HTMLInputElement[] => [
    ...document.querySelectorAll<HTMLInputElement>('[role="dialog"] input[type="radio"]'),
  ];
  const label = (r: HTMLInputElement): string | undefined => r.closest('label')?.textContent.trim();

  it('offers the configured entity types, naming unknown ones as written, and tags with the chosen one', async () => {
    app = await mountReviewApp();
    const { main, store } = app;
    main.services.settings.update({ entityTypes: ['song', 'podcast'] });
    await settle(store, (s) => s.settings.values.entityTypes.length === 2);
    await app.openBatch();
    const box = document.querySelector<HTMLTextAreaElement>('textarea.transcript');
    if (!box) {
      throw new Error('no transcript box');
    }
    act(() => box.setSelectionRange(8, 13));

    pressKey(box, { code: 'KeyN', key: 'N', ctrlKey: true, shiftKey: true });

    expect(radios().map(label)).toEqual(['Song', 'podcast']);
    expect(radios()[0]?.checked).toBe(true);
    const second = radios()[1];
    act(() => second?.click());
    pressKey(second ?? document.body, { key: 'Enter', code: 'Enter' });
    expect(store.getState().review.body.entities).toEqual([{ start: 8, end: 13, type: 'podcast' }]);
  });
});
