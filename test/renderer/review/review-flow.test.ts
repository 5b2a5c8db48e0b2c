import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import { createReviewFlow, type ReviewFlow } from '../../../renderer/review/review-flow';
import { DRAFT_DEBOUNCE_MS } from '../../../renderer/review/draft-saver';
import { createBreaks } from '../../../renderer/timing/break-flow';
import { createAppStore, type AppStore } from '../../../renderer/store';
import { createInProcessApi, type InProcessApi } from '../../support/in-process-api';
import { untilState } from '../../support/render';
import { createFakeAudio, type FakeAudio } from '../audio/fake-audio';
import { importReviewBatch, REVIEW_BATCH, reviewClips } from './review-fixture';

/** The real API, recording which clips were opened and whose work was read. */
function countingApi(api: ReviewerApi, calls: string[]): ReviewerApi {
  return {
    ...api,
    clips: { ...api.clips, open: (r) => (calls.push(`open:${r.clipId}`), api.clips.open(r)) },
    annotations: { ...api.annotations, work: (r) => (calls.push(`work:${r.clipId}`), api.annotations.work(r)) },
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('review flow', () => {
  let main: InProcessApi;
  let store: AppStore;
  let audio: FakeAudio;
  let flow: ReviewFlow;
  let calls: string[];
  let detach: () => void;
  /** The submit retries' waits: recorded, and run only when a test fires them. */
  let waits: { ms: number; run: () => void }[];
  const review = () => store.getState().review;

  const start = (): void => {
    calls = [];
    waits = [];
    const api = countingApi(main.api, calls);
    store = createAppStore(api);
    audio = createFakeAudio((r) => api.clips.open(r));
    // Background work right away: here there is no frame to wait for.
    flow = createReviewFlow({
      api,
      store,
      audio,
      breaks: createBreaks({ store, audio }),
      afterPaint: (work) => work(),
      retryTimers: {
        setTimeout: (run, ms) => waits.push({ ms, run }),
        clearTimeout: () => undefined,
      },
    });
    detach = flow.attach();
  };
  const history = (clipId: string) => main.services.annotations.history(REVIEW_BATCH, clipId);
  /** Submits the open clip, then waits for main to store it (the flow moves on without waiting). */
  const hearAndSubmit = async (): Promise<void> => {
    audio.hearToEnd();
    await flow.clips.submitAndNext();
    await flow.clips.draftsSettled();
  };

  beforeEach(() => {
    main = createInProcessApi();
    importReviewBatch(main);
    start();
  });

  afterEach(async () => {
    flow.clips.close();
    await flow.clips.draftsSettled();
    detach();
    main.cleanup();
  });

  it('opens a new batch at its first clip, prefilled with the hypothesis, playing, with the next three fetched', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);

    expect(review()).toMatchObject({
      batchId: REVIEW_BATCH,
      index: 0,
      loading: false,
      basedOnRevision: 0,
      heardInFull: false,
    });
    expect(review().clip).toMatchObject({
      id: 'c-AAAAAAAAAAAAAAA1',
      asrText: 'turn on light number 1',
      durationMs: 300,
    });
    expect(review().clip).not.toHaveProperty('audio');
    expect(review().body.transcript).toBe('turn on light number 1');
    expect(review().clips.map((c) => c.id)).toEqual(reviewClips.map((c) => c.id));
    expect(audio).toMatchObject({
      selected: 'c-AAAAAAAAAAAAAAA1',
      playing: true,
      kept: ['c-AAAAAAAAAAAAAAA2', 'c-AAAAAAAAAAAAAAA3', 'c-AAAAAAAAAAAAAAA4'],
    });
    expect(store.getState().player.playing).toBe(true);
    await vi.waitFor(() =>
      expect(main.services.annotations.state(REVIEW_BATCH).currentClipId).toBe('c-AAAAAAAAAAAAAAA1'),
    );
  });

  it('prefetches the next clips only once the opened clip has been painted', async () => {
    const painted: (() => void)[] = [];
    detach();
    flow = createReviewFlow({
      api: main.api,
      store,
      audio,
      breaks: createBreaks({ store, audio }),
      afterPaint: (work) => painted.push(work),
    });
    detach = flow.attach();

    await flow.clips.openBatch(REVIEW_BATCH);

    expect(review().clip?.id).toBe('c-AAAAAAAAAAAAAAA1');
    expect(audio.kept).toEqual([]);
    painted.forEach((work) => work());
    expect(audio.kept).toEqual(['c-AAAAAAAAAAAAAAA2', 'c-AAAAAAAAAAAAAAA3', 'c-AAAAAAAAAAAAAAA4']);
  });

  it('keeps the place of a clip left before it was painted (a lock right after a switch)', async () => {
    const painted: (() => void)[] = [];
    detach();
    flow = createReviewFlow({
      api: main.api,
      store,
      audio,
      breaks: createBreaks({ store, audio }),
      afterPaint: (work) => painted.push(work),
    });
    detach = flow.attach();
    await flow.clips.openBatch(REVIEW_BATCH);
    await flow.clips.next();
    expect(review().clip?.id).toBe('c-AAAAAAAAAAAAAAA2');

    flow.clips.close();
    await flow.clips.draftsSettled();

    await vi.waitFor(() =>
      expect(main.services.annotations.state(REVIEW_BATCH).currentClipId).toBe('c-AAAAAAAAAAAAAAA2'),
    );
    await flow.clips.openBatch(REVIEW_BATCH);
    expect(review().clip?.id).toBe('c-AAAAAAAAAAAAAAA2');
    expect(painted.length).toBeGreaterThan(0);
  });

  it('resumes at the clip that was open last', async () => {
    main.services.annotations.setPosition(REVIEW_BATCH, 'c-AAAAAAAAAAAAAAA3');

    await flow.clips.openBatch(REVIEW_BATCH);

    expect(review().index).toBe(2);
    expect(audio.kept).toEqual(['c-AAAAAAAAAAAAAAA4', 'c-AAAAAAAAAAAAAAA5', 'c-AAAAAAAAAAAAAAA2']);
  });

  it('refuses to submit a clip that was not heard in full, says why, and stores nothing', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);

    await flow.clips.submitAndNext();

    expect(review()).toMatchObject({ index: 0, notice: 'notHeard' });
    expect(history('c-AAAAAAAAAAAAAAA1')).toEqual([]);
  });

  it('asks before an empty transcript goes as transcribed, and takes a second submit as the answer', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    flow.editor.edit('   ');
    audio.hearToEnd();

    await flow.clips.submitAndNext();
    expect(review()).toMatchObject({ index: 0, notice: 'emptyTranscript' });
    expect(history('c-AAAAAAAAAAAAAAA1')).toEqual([]);

    await flow.clips.submitAndNext();
    await flow.clips.draftsSettled();
    expect(review().index).toBe(1);
    expect(history('c-AAAAAAAAAAAAAAA1')).toMatchObject([{ disposition: 'transcribed', transcript: '   ' }]);
  });

  it('submits an empty transcript at once under another disposition', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    flow.editor.edit('');
    flow.editor.setDisposition('noise_only');

    await hearAndSubmit();

    expect(review().index).toBe(1);
    expect(history('c-AAAAAAAAAAAAAAA1')).toMatchObject([{ disposition: 'noise_only' }]);
  });

  it('submits a heard clip and moves straight on to the next, already fetched', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    await flow.clips.draftsSettled();
    await tick();
    calls.length = 0;

    audio.hearToEnd();
    expect(review()).toMatchObject({ heardInFull: true });
    const switching = flow.clips.submitAndNext();
    // Clip and work were fetched ahead and have arrived: the next clip is open in the same task.
    expect(review().clip?.id).toBe('c-AAAAAAAAAAAAAAA2');
    await switching;
    // The submit lands in the background.
    await flow.clips.draftsSettled();

    expect(history('c-AAAAAAAAAAAAAAA1')).toMatchObject([
      { revision: 1, disposition: 'transcribed', transcript: 'turn on light number 1' },
    ]);
    expect(review()).toMatchObject({
      index: 1,
      notice: null,
      submitted: [{ clipId: 'c-AAAAAAAAAAAAAAA1', revision: 1 }],
    });
    expect(review().clip?.id).toBe('c-AAAAAAAAAAAAAAA2');
    expect(audio).toMatchObject({ selected: 'c-AAAAAAAAAAAAAAA2', playing: true });
    expect(calls).not.toContain('open:c-AAAAAAAAAAAAAAA2');
    expect(calls).not.toContain('work:c-AAAAAAAAAAAAAAA2');
  });

  it('submits with the disposition chosen', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    flow.editor.setDisposition('noise_only');

    await hearAndSubmit();

    expect(history('c-AAAAAAAAAAAAAAA1')[0]?.disposition).toBe('noise_only');
    expect(review().disposition).toBe('transcribed');
  });

  it('keeps the playback speed from one clip to the next', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    flow.player.stepRate(1);
    flow.player.stepRate(1);
    flow.player.stepRate(1);

    await hearAndSubmit();

    expect(store.getState().player.rate).toBe(1.3);
    expect(audio.rate).toBe(1.3);
  });

  it('does not start playing a clip when autoplay is off', async () => {
    await store.getState().settings.update({ autoplay: false });

    await flow.clips.openBatch(REVIEW_BATCH);

    expect(audio.playing).toBe(false);
    expect(audio.selected).toBe('c-AAAAAAAAAAAAAAA1');
  });

  it('opens clips blank when the prefill setting says so', async () => {
    await store.getState().settings.update({ prefill: 'blank' });

    await flow.clips.openBatch(REVIEW_BATCH);

    expect(review().body.transcript).toBe('');
  });

  it('hands the backstep setting to the audio, now and whenever it changes', async () => {
    expect(audio.backstepMs).toBe(1_000);

    await store.getState().settings.update({ autoBackstepMs: 2_500 });

    expect(audio.backstepMs).toBe(2_500);
  });

  it('lets a clip not heard be submitted when the rule is switched off', async () => {
    await store.getState().settings.update({ heardInFullGate: false });
    await flow.clips.openBatch(REVIEW_BATCH);

    await flow.clips.submitAndNext();

    expect(history('c-AAAAAAAAAAAAAAA1')).toHaveLength(1);
  });

  it('saves a draft one debounce after the last keystroke, and says saved only once it is stored', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    // Counted on a fake clock, so a loaded machine cannot make the debounce look late.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      flow.editor.edit('turn on light');
      vi.advanceTimersByTime(DRAFT_DEBOUNCE_MS - 1);
      flow.editor.edit('turn on the light');
      vi.advanceTimersByTime(DRAFT_DEBOUNCE_MS - 1);
      expect(review().saveStatus).toBe('idle');
      expect(main.services.annotations.work(REVIEW_BATCH, 'c-AAAAAAAAAAAAAAA1').draft).toBeNull();

      vi.advanceTimersByTime(1);
      expect(review().saveStatus).toBe('saving');
    } finally {
      vi.useRealTimers();
    }

    await untilState(store, (s) => s.review.saveStatus === 'saved');

    expect(main.services.annotations.work(REVIEW_BATCH, 'c-AAAAAAAAAAAAAAA1').draft).toMatchObject({
      transcript: 'turn on the light',
      basedOnRevision: 0,
    });
  });

  it('restores the draft, at the same clip, when the batch is opened again', async () => {
    main.services.annotations.setPosition(REVIEW_BATCH, 'c-AAAAAAAAAAAAAAA2');
    await flow.clips.openBatch(REVIEW_BATCH);
    flow.editor.edit('half typed');
    flow.clips.close();
    await flow.clips.draftsSettled();
    detach();

    start();
    await flow.clips.openBatch(REVIEW_BATCH);

    expect(review()).toMatchObject({ index: 1, saveStatus: 'saved', body: { transcript: 'half typed' } });
  });

  it('goes back to a submitted clip with its latest revision, and amends it as the next revision', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    flow.editor.edit('turn on light one');
    await hearAndSubmit();
    expect(review().index).toBe(1);

    await flow.clips.previous();
    expect(review()).toMatchObject({
      index: 0,
      basedOnRevision: 1,
      heardInFull: true,
      body: { transcript: 'turn on light one' },
    });
    flow.editor.edit('turn on light number one');
    await flow.clips.submitAndNext();

    expect(history('c-AAAAAAAAAAAAAAA1').map((a) => [a.revision, a.transcript])).toEqual([
      [1, 'turn on light one'],
      [2, 'turn on light number one'],
    ]);
    expect(review().index).toBe(1);
  });

  it('moves between clips without submitting', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);

    await flow.clips.next();
    await flow.clips.next();
    await flow.clips.previous();

    expect(review().index).toBe(1);
    expect(history('c-AAAAAAAAAAAAAAA1')).toEqual([]);
    await flow.clips.goTo(99);
    expect(review().index).toBe(1);
  });

  it('says the batch is done after its last clip with its summary, and stays on it for amending', async () => {
    main.cleanup();
    main = createInProcessApi();
    importReviewBatch(main, reviewClips.slice(0, 2));
    start();
    await flow.clips.openBatch(REVIEW_BATCH);

    await hearAndSubmit();
    await hearAndSubmit();

    expect(review()).toMatchObject({
      index: 1,
      notice: 'batchDone',
      panel: 'batchDone',
      basedOnRevision: 1,
      saveStatus: 'saved',
    });
    expect(audio.playing).toBe(false);
  });

  it('moves on to the next clip without waiting for main to store the submit', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const api = main.api;
    const slow: ReviewerApi = {
      ...api,
      annotations: { ...api.annotations, submit: (r) => gate.then(() => api.annotations.submit(r)) },
    };
    detach();
    store = createAppStore(slow);
    flow = createReviewFlow({
      api: slow,
      store,
      audio,
      breaks: createBreaks({ store, audio }),
      afterPaint: (work) => work(),
    });
    detach = flow.attach();
    await flow.clips.openBatch(REVIEW_BATCH);

    audio.hearToEnd();
    await flow.clips.submitAndNext();

    expect(review()).toMatchObject({ index: 1, submitted: [{ clipId: 'c-AAAAAAAAAAAAAAA1', revision: 1 }] });
    expect(audio).toMatchObject({ selected: 'c-AAAAAAAAAAAAAAA2', playing: true });
    expect(history('c-AAAAAAAAAAAAAAA1')).toEqual([]);
    release();
    await flow.clips.draftsSettled();
    expect(history('c-AAAAAAAAAAAAAAA1')).toMatchObject([{ revision: 1, transcript: 'turn on light number 1' }]);
  });

  it('goes back to a clip whose submit was refused, with its work as submitted and the reason', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    main.services.annotations.submit({
      batchId: REVIEW_BATCH,
      clipId: 'c-AAAAAAAAAAAAAAA1',
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: { transcript: 'x', critical: [], entities: [] },
    });
    flow.editor.edit('turn on the light');
    flow.editor.setDisposition('noise_only');

    await hearAndSubmit();

    await vi.waitFor(() => expect(review().error?.code).toBe('CONFLICT'));
    expect(review().errorDuring).toBe('submit');
    expect(review()).toMatchObject({
      index: 0,
      basedOnRevision: 0,
      disposition: 'noise_only',
      body: { transcript: 'turn on the light' },
    });
    expect(review().submitted).toEqual([]);
  });

  it('brings back a submit the disk refused, as not stored, with its text', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    const full = vi.spyOn(main.services.annotations, 'submit').mockImplementation(() => {
      throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    });
    flow.editor.edit('turn on the light');

    await hearAndSubmit();

    await vi.waitFor(() => expect(review().error?.code).toBe('STORAGE_FULL'));
    expect(review().errorDuring).toBe('notStored');
    expect(review()).toMatchObject({ index: 0, body: { transcript: 'turn on the light' } });
    expect(review().submitted).toEqual([]);
    full.mockRestore();
    expect(history('c-AAAAAAAAAAAAAAA1')).toEqual([]);
  });

  it('tries a submit the full disk refused again on its own, as not stored until one try is stored', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    const full = vi.spyOn(main.services.annotations, 'submit').mockImplementation(() => {
      throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    });
    flow.editor.edit('turn on the light');
    await hearAndSubmit();
    await vi.waitFor(() => expect(waits.map((w) => w.ms)).toEqual([2_000]));

    // Still full: not stored, the text still there, and a longer wait before the next try.
    waits.at(-1)?.run();
    await vi.waitFor(() => expect(waits.map((w) => w.ms)).toEqual([2_000, 4_000]));
    expect(full).toHaveBeenCalledTimes(2);
    expect(review()).toMatchObject({ index: 0, errorDuring: 'notStored', body: { transcript: 'turn on the light' } });
    expect(review().error?.code).toBe('STORAGE_FULL');
    expect(review().submitted).toEqual([]);

    // Space freed: the next try is stored, and the clip is marked submitted.
    full.mockRestore();
    waits.at(-1)?.run();
    await vi.waitFor(() => expect(review().submitted.map((c) => c.clipId)).toEqual(['c-AAAAAAAAAAAAAAA1']));
    expect(review()).toMatchObject({ error: null, basedOnRevision: 1 });
    expect(history('c-AAAAAAAAAAAAAAA1').map((a) => a.transcript)).toEqual(['turn on the light']);
    expect(waits).toHaveLength(2);
  });

  it('stops trying a refused submit again once the reviewer edits it', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    const io = vi.spyOn(main.services.annotations, 'submit').mockImplementation(() => {
      throw new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE');
    });
    flow.editor.edit('turn on the light');
    await hearAndSubmit();
    await vi.waitFor(() => expect(waits).toHaveLength(1));

    flow.editor.edit('turn on the lights');
    waits.at(-1)?.run();
    await flow.clips.draftsSettled();

    expect(io).toHaveBeenCalledTimes(1);
    expect(waits).toHaveLength(1);
    io.mockRestore();
  });

  it('does not try a submit again on its own when the data folder is read-only', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    const readonly = vi.spyOn(main.services.annotations, 'submit').mockImplementation(() => {
      throw new Database.SqliteError('attempt to write a readonly database', 'SQLITE_READONLY');
    });
    flow.editor.edit('turn on the light');
    await hearAndSubmit();
    await vi.waitFor(() => expect(review().error?.code).toBe('STORAGE_READONLY'));

    expect(waits).toEqual([]);
    readonly.mockRestore();
  });

  it('saves what was typed when the reviewer leaves, and releases the audio', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    flow.editor.edit('typed then left');

    flow.clips.close();
    await flow.clips.draftsSettled();

    expect(review().batchId).toBeNull();
    expect(audio.calls).toContain('clear');
    expect(main.services.annotations.work(REVIEW_BATCH, 'c-AAAAAAAAAAAAAAA1').draft?.transcript).toBe(
      'typed then left',
    );
  });

  it('tells the reviewer when a batch has nothing to review', async () => {
    main.cleanup();
    main = createInProcessApi();
    importReviewBatch(main, [{ id: 'c-AAAAAAAAAAAAAAAX', consent: 'withdrawn' }]);
    start();

    await flow.clips.openBatch(REVIEW_BATCH);

    expect(review()).toMatchObject({ loading: false, clips: [], clip: null });
  });
});

describe('review flow: consent withdrawn while the batch is open', () => {
  let main: InProcessApi;
  let store: AppStore;
  let audio: FakeAudio;
  let flow: ReviewFlow;
  let detach: () => void;
  const review = () => store.getState().review;

  beforeEach(() => {
    main = createInProcessApi();
    importReviewBatch(main);
    store = createAppStore(main.api);
    audio = createFakeAudio((r) => main.api.clips.open(r));
    flow = createReviewFlow({
      api: main.api,
      store,
      audio,
      breaks: createBreaks({ store, audio }),
      afterPaint: (work) => work(),
    });
    detach = flow.attach();
  });
  afterEach(async () => {
    flow.clips.close();
    await flow.clips.draftsSettled();
    detach();
    main.cleanup();
  });

  /** Main erases the clips, as a sync would, and its batch list reaches the store. */
  const withdraw = (...clipIds: string[]): void => {
    expect(main.services.consent.eraseWithdrawn(REVIEW_BATCH, clipIds, null)).toEqual(clipIds);
    store.getState().batches.received(main.services.batches.list());
  };

  it('shows the notice in place of the open clip, drops its audio, and moves on from there', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    flow.editor.edit('typed on a clip about to go');
    withdraw('c-AAAAAAAAAAAAAAA1');
    await untilState(store, (s) => s.review.error?.code === 'CONSENT_WITHDRAWN');

    expect(review()).toMatchObject({ index: 0, clip: null, body: { transcript: '' } });
    expect(audio.selected).toBeNull();
    expect(audio.kept).not.toContain('c-AAAAAAAAAAAAAAA1');
    await flow.clips.draftsSettled();
    expect(() => main.services.annotations.work(REVIEW_BATCH, 'c-AAAAAAAAAAAAAAA1')).toThrow(/withdrawn/);

    await flow.clips.next();
    expect(review()).toMatchObject({ index: 1, error: null });
    expect(review().clip?.id).toBe('c-AAAAAAAAAAAAAAA2');
    // Back to its place: the notice again, never a cached copy.
    await flow.clips.previous();
    expect(review()).toMatchObject({ index: 0, clip: null, error: { code: 'CONSENT_WITHDRAWN' } });
  });

  it('shows the notice when the reviewer reaches a clip withdrawn after it was fetched ahead', async () => {
    await flow.clips.openBatch(REVIEW_BATCH);
    withdraw('c-AAAAAAAAAAAAAAA2');
    await untilState(store, (s) =>
      s.batches.items.some((b) => b.id === REVIEW_BATCH && b.withheld.consentWithdrawn === 1),
    );
    await tick();
    expect(review().clip?.id).toBe('c-AAAAAAAAAAAAAAA1');
    expect(audio.kept).not.toContain('c-AAAAAAAAAAAAAAA2');
    await flow.clips.next();
    expect(review()).toMatchObject({ index: 1, clip: null, error: { code: 'CONSENT_WITHDRAWN' } });
  });
});
