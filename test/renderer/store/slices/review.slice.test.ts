import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppStore, type AppStore } from '../../../../renderer/store';
import type { OpenedWork } from '../../../../renderer/store/slices/review.slice';
import { createInProcessApi, type InProcessApi } from '../../../support/in-process-api';

const work = (over: Partial<OpenedWork> = {}): OpenedWork => ({
  index: 0,
  clip: {
    id: 'c-AAAAAAAAAAAAAAA1',
    batchId: 'b-AAAAAAAAAAAAAAA1',
    codec: 'opus',
    durationMs: 2_000,
    asrText: 'call mom',
    hints: null,
  },
  body: { transcript: 'call mom', critical: [], entities: [] },
  disposition: 'transcribed',
  basedOnRevision: 0,
  heardInFull: false,
  saveStatus: 'idle',
  ...over,
});

describe('review slice', () => {
  let main: InProcessApi;
  let store: AppStore;
  const review = () => store.getState().review;

  beforeEach(() => {
    main = createInProcessApi();
    store = createAppStore(main.api);
  });

  afterEach(() => {
    main.cleanup();
  });

  it('starts closed, with no clip and nothing to save', () => {
    expect(review()).toMatchObject({ batchId: null, clip: null, index: -1, saveStatus: 'idle' });
  });

  it('opens a batch loading, and remembers it after closing', () => {
    review().opening('b-AAAAAAAAAAAAAAA1');
    expect(review()).toMatchObject({ batchId: 'b-AAAAAAAAAAAAAAA1', loading: true });

    review().closed();

    expect(review()).toMatchObject({ batchId: null, lastBatchId: 'b-AAAAAAAAAAAAAAA1', loading: false, clip: null });
  });

  it('bumps loadSeq each time a clip opens, so the editor remounts with its text', () => {
    const before = review().loadSeq;
    review().clipOpened(work());
    review().clipOpened(work({ index: 1 }));

    expect(review().loadSeq).toBe(before + 2);
    expect(review().loading).toBe(false);
  });

  it('marks an edit unsaved and drops spans that no longer fit the transcript', () => {
    review().clipOpened(
      work({
        body: {
          transcript: 'my card is 4111 1111',
          critical: [{ start: 11, end: 20, category: 'bank_card' }],
          entities: [{ start: 0, end: 2, type: 'contact' }],
        },
        saveStatus: 'saved',
      }),
    );

    review().edited('my card');

    expect(review().body).toEqual({
      transcript: 'my card',
      critical: [],
      entities: [{ start: 0, end: 2, type: 'contact' }],
    });
    expect(review().saveStatus).toBe('idle');
  });

  it('clears the not-heard notice once the clip has been heard', () => {
    review().clipOpened(work());
    review().setNotice('notHeard');

    review().heard();

    expect(review()).toMatchObject({ heardInFull: true, notice: null });
  });

  it('keeps one entry per submitted clip, with its latest revision', () => {
    review().markSubmitted({ clipId: 'c-AAAAAAAAAAAAAAA1', revision: 1, disposition: 'transcribed' });
    review().markSubmitted({ clipId: 'c-AAAAAAAAAAAAAAA2', revision: 1, disposition: 'noise_only' });
    review().markSubmitted({ clipId: 'c-AAAAAAAAAAAAAAA1', revision: 2, disposition: 'tv_media' });

    expect(review().submitted).toEqual([
      { clipId: 'c-AAAAAAAAAAAAAAA2', revision: 1, disposition: 'noise_only' },
      { clipId: 'c-AAAAAAAAAAAAAAA1', revision: 2, disposition: 'tv_media' },
    ]);
  });

  it('puts a clip whose submit was refused back as it was: its earlier revision, or not submitted', () => {
    review().markSubmitted({ clipId: 'c-AAAAAAAAAAAAAAA1', revision: 1, disposition: 'transcribed' });
    review().markSubmitted({ clipId: 'c-AAAAAAAAAAAAAAA2', revision: 1, disposition: 'noise_only' });
    review().markSubmitted({ clipId: 'c-AAAAAAAAAAAAAAA1', revision: 2, disposition: 'tv_media' });

    review().unmarkSubmitted('c-AAAAAAAAAAAAAAA1', {
      clipId: 'c-AAAAAAAAAAAAAAA1',
      revision: 1,
      disposition: 'transcribed',
    });
    review().unmarkSubmitted('c-AAAAAAAAAAAAAAA2', null);

    expect(review().submitted).toEqual([{ clipId: 'c-AAAAAAAAAAAAAAA1', revision: 1, disposition: 'transcribed' }]);
  });

  it('holds only serializable state', () => {
    review().opening('b-AAAAAAAAAAAAAAA1');
    review().clipOpened(work());
    const data = Object.fromEntries(Object.entries(review()).filter(([, v]) => typeof v !== 'function'));

    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });
});
