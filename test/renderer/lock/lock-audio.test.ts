import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAudioService, type Frames } from '../../../renderer/audio/audio-service';
import type { Sound, SoundFactory } from '../../../renderer/audio/sound';
import { attachLock } from '../../../renderer/lock/attach-lock';
import { createReviewFlow, type ReviewFlow } from '../../../renderer/review/review-flow';
import { createBreaks } from '../../../renderer/timing/break-flow';
import { createAppStore, type AppStore } from '../../../renderer/store';
import { createInProcessApi, type InProcessApi } from '../../support/in-process-api';
import { untilState } from '../../support/render';
import { importReviewBatch, REVIEW_BATCH } from '../review/review-fixture';

type FakeSound = Sound & { playing: boolean; unloaded: boolean };

/** The real audio engine over sounds and object URLs that record what happens to them. */
function recordingAudio(main: InProcessApi) {
  const sounds: FakeSound[] = [];
  const live = new Set<string>();
  const revoked: string[] = [];
  let n = 0;
  const createSound: SoundFactory = () => {
    let pos = 0;
    const s: FakeSound = {
      playing: false,
      unloaded: false,
      play: () => void (s.playing = true),
      pause: () => void (s.playing = false),
      seek: (ms) => void (pos = ms),
      positionMs: () => pos,
      durationMs: () => 300,
      setRate: () => undefined,
      unload: () => void ((s.unloaded = true), (s.playing = false)),
    };
    sounds.push(s);
    return s;
  };
  const frames: Frames = { request: () => 0, cancel: () => undefined, now: () => 0 };
  const audio = createAudioService({
    openClip: (ref) => main.api.clips.open(ref),
    createSound,
    decodePeaks: () => Promise.resolve(null),
    frames,
    urls: {
      create: () => {
        const url = `blob:test/${(n += 1)}`;
        live.add(url);
        return url;
      },
      revoke: (url) => {
        live.delete(url);
        revoked.push(url);
      },
    },
  });
  return { audio, sounds, live, revoked };
}

describe('locking stops the audio and drops decoded clips', () => {
  let main: InProcessApi;
  let store: AppStore;
  let flow: ReviewFlow;
  let rec: ReturnType<typeof recordingAudio>;
  let stops: (() => void)[];

  beforeEach(async () => {
    main = createInProcessApi();
    importReviewBatch(main);
    store = createAppStore(main.api);
    await store.getState().settings.load();
    rec = recordingAudio(main);
    flow = createReviewFlow({
      api: main.api,
      store,
      audio: rec.audio,
      breaks: createBreaks({ store, audio: rec.audio }),
      afterPaint: (work) => work(),
    });
    stops = [flow.attach(), attachLock({ api: main.api, store, clips: flow.clips, target: new EventTarget() })];
    await untilState(store, (s) => s.lock.state !== null);
    await flow.clips.openBatch(REVIEW_BATCH);
    // The open clip plays (autoplay) and the next ones are prefetched: several decoded clips and URLs.
    await vi.waitFor(() => expect(rec.live.size).toBeGreaterThan(1));
    if (!store.getState().player.playing) {
      flow.player.togglePlay();
    }
  });
  afterEach(() => {
    stops.forEach((stop) => stop());
    main.cleanup();
  });

  it('when main locks (OS lock): playback stops, every sound unloads and every object URL is revoked', async () => {
    expect(rec.sounds.some((s) => s.playing)).toBe(true);
    const made = rec.live.size;
    main.services.lock.lock('os_lock');
    await untilState(store, (s) => s.lock.state?.locked === true);
    expect(rec.sounds.some((s) => s.playing)).toBe(false);
    expect(rec.sounds.every((s) => s.unloaded)).toBe(true);
    expect(rec.live.size).toBe(0);
    expect(rec.revoked).toHaveLength(made);
    expect(store.getState().player.playing).toBe(false);
    expect(store.getState().review.clip).toBeNull();
    expect(rec.audio.peaks('c-AAAAAAAAAAAAAAA1')).toBeNull();
  });

  it('on the lock command: the audio stops before main has even answered', () => {
    expect(rec.sounds.some((s) => s.playing)).toBe(true);
    void store.getState().lock.lockNow('manual');
    // Synchronously, in the same turn as the command.
    expect(rec.sounds.some((s) => s.playing)).toBe(false);
    expect(rec.live.size).toBe(0);
  });

  it('reopens the same batch at the same clip after the unlock', async () => {
    await flow.clips.next();
    expect(store.getState().review.clip?.id).toBe('c-AAAAAAAAAAAAAAA2');
    await store.getState().lock.lockNow('idle');
    expect(store.getState().review.batchId).toBeNull();
    await store.getState().lock.unlock();
    await untilState(store, (s) => s.review.clip !== null);
    expect(store.getState().review).toMatchObject({ batchId: REVIEW_BATCH, clip: { id: 'c-AAAAAAAAAAAAAAA2' } });
  });
});
