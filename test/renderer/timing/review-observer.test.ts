import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TimingBatch } from '../../../shared/domain/timing';
import { ok } from '../../../shared/result';
import { createAppStore, type AppStore } from '../../../renderer/store';
import { observeReview } from '../../../renderer/timing/review-observer';
import { createTimingRecorder } from '../../../renderer/timing/timing-recorder';
import { createInProcessApi, type InProcessApi } from '../../support/in-process-api';

const clipInfo = (id: string) => ({
  id,
  batchId: 'b1',
  codec: 'wav' as const,
  durationMs: 1_000,
  asrText: 'x',
  hints: null,
});

describe('review observer', () => {
  let main: InProcessApi;
  let store: AppStore;
  let sent: TimingBatch[];
  let stop: () => void;
  let recorder: ReturnType<typeof createTimingRecorder>;

  beforeEach(() => {
    main = createInProcessApi();
    store = createAppStore(main.api);
    sent = [];
    recorder = createTimingRecorder({
      epoch: 'epoch-observer',
      now: () => 0,
      send: (b) => (sent.push(b), Promise.resolve(ok(null))),
    });
    stop = observeReview(store, recorder);
  });
  afterEach(() => {
    stop();
    main.cleanup();
  });

  const open = (id: string, index: number): void => {
    const review = store.getState().review;
    if (review.batchId === null) {
      review.opening('b1');
    }
    store.getState().review.clipOpened({
      index,
      clip: clipInfo(id),
      body: { transcript: 'saved text', critical: [], entities: [] },
      disposition: 'tv_media',
      basedOnRevision: 0,
      heardInFull: false,
      saveStatus: 'idle',
    });
  };
  const kinds = async (): Promise<string[]> => {
    await recorder.flush();
    return sent
      .flatMap((b) => b.events)
      .map(
        (e) =>
          `${e.kind}${e.label ? `:${e.label}` : ''}${e.value !== undefined ? `=${e.value}` : ''}@${e.clipId ?? '-'}`,
      );
  };

  it('records what the reviewer did, not what opening a clip put on screen', async () => {
    open('c-AAAAAAAAAAAAAAA1', 0);
    const r = () => store.getState().review;
    r().edited('saved text and more');
    r().edited('saved text and more!');
    r().setDisposition('noise_only');
    r().addCritical({ start: 0, end: 5, category: 'phone' });
    r().addEntity({ start: 6, end: 10, type: 'song' });
    open('c-AAAAAAAAAAAAAAA2', 1);
    expect(await kinds()).toEqual([
      'shown@c-AAAAAAAAAAAAAAA1',
      'edit=2@c-AAAAAAAAAAAAAAA1',
      'disposition:noise_only@c-AAAAAAAAAAAAAAA1',
      'tag:phone@c-AAAAAAAAAAAAAAA1',
      'tag:entity@c-AAAAAAAAAAAAAAA1',
      'leave@c-AAAAAAAAAAAAAAA1',
      'shown@c-AAAAAAAAAAAAAAA2',
    ]);
  });

  it('counts a break and Earmark locking itself as idle', async () => {
    open('c-AAAAAAAAAAAAAAA1', 0);
    store.getState().review.setPanel('break');
    store.getState().review.setPanel(null);
    store.getState().lock.received({ locked: true, reason: 'manual', methods: ['none'], retryAt: null });
    store.getState().lock.received({ locked: false, reason: null, methods: ['none'], retryAt: null });
    expect(await kinds()).toEqual([
      'shown@c-AAAAAAAAAAAAAAA1',
      'idle:break@c-AAAAAAAAAAAAAAA1',
      'active@c-AAAAAAAAAAAAAAA1',
      'idle:app_lock@c-AAAAAAAAAAAAAAA1',
      'active@c-AAAAAAAAAAAAAAA1',
    ]);
  });
});
