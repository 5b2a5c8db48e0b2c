import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { OpenedClip } from '../../../shared/domain/clip';
import type { ClipRef } from '../../../shared/ipc/contract';
import { ok, type Result } from '../../../shared/result';
import type { AudioEvents, AudioService } from '../../../renderer/audio/audio-port';
import { createAudioService, type Frames } from '../../../renderer/audio/audio-service';
import type { Sound, SoundFactory, SoundHandlers } from '../../../renderer/audio/sound';

const DURATION = 3_000;
const ref = (clipId: string): ClipRef => ({ batchId: 'b-AAAAAAAAAAAAAAA1', clipId });

type FakeSound = Sound & {
  url: string;
  handlers: SoundHandlers;
  playing: boolean;
  pos: number;
  rate: number;
  unloaded: boolean;
};

function fakeSounds() {
  const made: FakeSound[] = [];
  const factory: SoundFactory = (url, _codec, handlers) => {
    const s: FakeSound = {
      url,
      handlers,
      playing: false,
      pos: 0,
      rate: 1,
      unloaded: false,
      play: () => void (s.playing = true),
      pause: () => void (s.playing = false),
      seek: (ms) => void (s.pos = ms),
      positionMs: () => s.pos,
      durationMs: () => DURATION,
      setRate: (r) => void (s.rate = r),
      unload: () => void (s.unloaded = true),
    };
    made.push(s);
    return s;
  };
  return { made, factory };
}

/** Animation frames a test turns by hand; playing sounds advance with the clock. */
function manualFrames(sounds: FakeSound[]) {
  let now = 0;
  let next = 1;
  const queue = new Map<number, () => void>();
  const frames: Frames = {
    request: (cb) => {
      queue.set(next, cb);
      return next++;
    },
    cancel: (h) => void queue.delete(h),
    now: () => now,
  };
  const advance = (ms: number): void => {
    now += ms;
    for (const s of sounds.filter((x) => x.playing)) {
      s.pos = Math.min(DURATION, s.pos + ms * s.rate);
      if (s.pos >= DURATION) {
        s.playing = false;
        s.handlers.ended();
      }
    }
    const due = [...queue.values()];
    queue.clear();
    due.forEach((cb) => cb());
  };
  return { frames, advance, pending: () => queue.size };
}

function recorder() {
  const log: string[] = [];
  const events: AudioEvents = {
    playing: (p) => log.push(`playing:${p}`),
    position: (ms) => log.push(`position:${Math.round(ms)}`),
    heardInFull: (id) => log.push(`heard:${id}`),
    peaks: (id, peaks) => log.push(`peaks:${id}:${peaks.length}`),
    failed: (id, m) => log.push(`failed:${id}:${m}`),
  };
  return { log, events };
}

describe('audio service', () => {
  let create: MockInstance<(blob: Blob) => string>;
  let revoke: MockInstance<(url: string) => void>;
  let opened: string[];
  let sounds: ReturnType<typeof fakeSounds>;
  let clock: ReturnType<typeof manualFrames>;
  let audio: AudioService;
  let rec: ReturnType<typeof recorder>;

  const openClip = (r: ClipRef): Promise<Result<OpenedClip>> => {
    opened.push(r.clipId);
    return Promise.resolve(
      ok({
        id: r.clipId,
        batchId: r.batchId,
        codec: 'opus',
        durationMs: DURATION,
        asrText: `asr ${r.clipId}`,
        hints: null,
        audio: new Uint8Array([1, 2, 3]),
      }),
    );
  };

  const build = (o: { openClip?: typeof openClip } = {}): AudioService =>
    createAudioService({
      openClip: o.openClip ?? openClip,
      createSound: sounds.factory,
      decodePeaks: () => Promise.resolve([0.5, 1]),
      frames: clock.frames,
    });

  const soundOf = (clipId: string): FakeSound => {
    const index = opened.indexOf(clipId);
    const s = sounds.made[index];
    if (!s) {
      throw new Error(`no sound for ${clipId}`);
    }
    return s;
  };

  const selectOpened = async (clipId: string): Promise<FakeSound> => {
    await audio.open(ref(clipId));
    audio.select(clipId);
    return soundOf(clipId);
  };

  beforeEach(() => {
    let n = 0;
    // jsdom has no object URLs; the service calls whatever URL has when it runs.
    Object.defineProperty(URL, 'createObjectURL', {
      configurable: true,
      writable: true,
      value: () => `blob:test/${(n += 1)}`,
    });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, writable: true, value: () => undefined });
    create = vi.spyOn(URL, 'createObjectURL');
    revoke = vi.spyOn(URL, 'revokeObjectURL');
    opened = [];
    sounds = fakeSounds();
    clock = manualFrames(sounds.made);
    audio = build();
    rec = recorder();
    audio.listen(rec.events);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('plays clips from in-memory blob URLs typed by codec, opening each clip once', async () => {
    await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.prefetch([ref('c-AAAAAAAAAAAAAAA2'), ref('c-AAAAAAAAAAAAAAA3')]);
    await audio.open(ref('c-AAAAAAAAAAAAAAA2'));
    await audio.open(ref('c-AAAAAAAAAAAAAAA1'));

    expect(opened).toEqual(['c-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA2', 'c-AAAAAAAAAAAAAAA3']);
    const blob = create.mock.calls[0]?.[0];
    expect(blob?.type).toBe('audio/ogg; codecs=opus');
    expect(sounds.made.map((s) => s.url)).toEqual(['blob:test/1', 'blob:test/2', 'blob:test/3']);
  });

  it('gives a clip at once only once it is opened and loaded, without opening it again', async () => {
    expect(audio.openNow(ref('c-AAAAAAAAAAAAAAA2'))).toBeNull();
    audio.prefetch([ref('c-AAAAAAAAAAAAAAA2')]);
    // Still on its way from main.
    expect(audio.openNow(ref('c-AAAAAAAAAAAAAAA2'))).toBeNull();
    await audio.open(ref('c-AAAAAAAAAAAAAAA2'));
    expect(audio.openNow(ref('c-AAAAAAAAAAAAAAA2'))).toMatchObject({
      id: 'c-AAAAAAAAAAAAAAA2',
      asrText: 'asr c-AAAAAAAAAAAAAAA2',
      durationMs: DURATION,
    });
    expect(opened).toEqual(['c-AAAAAAAAAAAAAAA2']);

    audio.select('c-AAAAAAAAAAAAAAA2');
    expect(sounds.made).toHaveLength(1);
  });

  it('revokes the object URL and unloads the sound of each clip that leaves the cache', async () => {
    await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.prefetch([ref('c-AAAAAAAAAAAAAAA2'), ref('c-AAAAAAAAAAAAAAA3'), ref('c-AAAAAAAAAAAAAAA4')]);
    await audio.open(ref('c-AAAAAAAAAAAAAAA4'));

    audio.prefetch([ref('c-AAAAAAAAAAAAAAA3'), ref('c-AAAAAAAAAAAAAAA4'), ref('c-AAAAAAAAAAAAAAA5')]);

    expect(revoke.mock.calls.map((c) => c[0])).toEqual(['blob:test/2']);
    expect(soundOf('c-AAAAAAAAAAAAAAA2').unloaded).toBe(true);
    expect(soundOf('c-AAAAAAAAAAAAAAA1').unloaded).toBe(false);
  });

  it('revokes every object URL when cleared', async () => {
    await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.prefetch([ref('c-AAAAAAAAAAAAAAA2')]);
    await audio.open(ref('c-AAAAAAAAAAAAAAA2'));

    audio.clear();

    expect(revoke.mock.calls.map((c) => c[0]).sort()).toEqual(['blob:test/1', 'blob:test/2']);
    expect(sounds.made.every((s) => s.unloaded)).toBe(true);
  });

  it('makes no object URL for a clip released while it was still being opened', async () => {
    let release: (() => void) | undefined;
    audio = build({ openClip: (r) => new Promise((done) => (release = () => done(openClip(r))) as never) });
    audio.prefetch([ref('c-AAAAAAAAAAAAAAA9')]);
    audio.prefetch([]);
    release?.();
    await new Promise((r) => setTimeout(r, 0));

    expect(create).not.toHaveBeenCalled();
    expect(sounds.made).toHaveLength(0);
  });

  it('selects a prefetched clip at its start without seeking it, and seeks a replayed one back to the start', async () => {
    const seeks: number[] = [];
    const first = await selectOpened('c-AAAAAAAAAAAAAAA1');
    first.seek = (ms) => {
      seeks.push(ms);
      first.pos = ms;
    };
    expect(rec.log).toContain('position:0');
    audio.play();
    clock.advance(1_200);
    audio.select(null);
    expect(seeks).toEqual([]);

    audio.select('c-AAAAAAAAAAAAAAA1');

    expect(seeks).toEqual([0]);
    expect(first.pos).toBe(0);
  });

  it('backs up one second when playback resumes after a pause', async () => {
    const s = await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.play();
    clock.advance(1_500);
    audio.pause();

    audio.play();

    expect(s.pos).toBe(500);
    expect(s.playing).toBe(true);
  });

  it('backs up as far as the setting says, never before the start', async () => {
    const s = await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.setAutoBackstep(2_500);
    audio.play();
    clock.advance(1_500);
    audio.pause();
    audio.play();
    expect(s.pos).toBe(0);

    clock.advance(1_500);
    audio.pause();
    audio.setAutoBackstep(400);
    audio.play();
    expect(s.pos).toBe(1_100);
  });

  it('does not back up with the setting at 0, on the first play, or after a skip while paused', async () => {
    const s = await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.setAutoBackstep(0);
    audio.play();
    clock.advance(1_500);
    audio.pause();
    audio.play();
    expect(s.pos).toBe(1_500);

    audio.setAutoBackstep(1_000);
    audio.pause();
    audio.skip(-1_000);
    audio.play();
    expect(s.pos).toBe(500);
  });

  it('skips within the clip and replays from the start', async () => {
    const s = await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.skip(2_000);
    expect(s.pos).toBe(2_000);
    audio.skip(3_000);
    expect(s.pos).toBe(DURATION);
    audio.skip(-10_000);
    expect(s.pos).toBe(0);

    audio.skip(1_000);
    audio.replay();
    expect(s.pos).toBe(0);
    expect(s.playing).toBe(true);
  });

  it('applies the clamped rate to the selected sound and to the next one selected', async () => {
    const first = await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.setRate(2.7);
    expect(first.rate).toBe(2);

    const second = await selectOpened('c-AAAAAAAAAAAAAAA2');
    expect(second.rate).toBe(2);
  });

  it('loads a clip fetched ahead at the rate already chosen, before it is selected', async () => {
    await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.setRate(2);
    audio.prefetch([ref('c-AAAAAAAAAAAAAAA2')]);
    await vi.waitFor(() => expect(sounds.made).toHaveLength(2));

    expect(sounds.made[1]?.rate).toBe(2);
  });

  it('reports heard in full once, when the clip has been played through', async () => {
    await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.play();
    for (let i = 0; i < 80; i += 1) {
      clock.advance(40);
    }

    expect(rec.log.filter((l) => l.startsWith('heard:'))).toEqual(['heard:c-AAAAAAAAAAAAAAA1']);
    expect(audio.heardInFull('c-AAAAAAAAAAAAAAA1')).toBe(true);
    expect(rec.log.slice(-2)).toEqual(['playing:false', `position:${DURATION}`]);
    expect(clock.pending()).toBe(0);
  });

  it('does not count a clip as heard when the reviewer skipped to its end', async () => {
    await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.play();
    clock.advance(40);
    audio.skip(2_900);
    for (let i = 0; i < 10; i += 1) {
      clock.advance(40);
    }

    expect(audio.heardInFull('c-AAAAAAAAAAAAAAA1')).toBe(false);
    expect(rec.log.some((l) => l.startsWith('heard:'))).toBe(false);
  });

  it('reports the position to listeners at most ten times a second', async () => {
    await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.play();
    rec.log.length = 0;
    for (let i = 0; i < 60; i += 1) {
      clock.advance(16);
    }

    const reports = rec.log.filter((l) => l.startsWith('position:'));
    expect(reports.length).toBeGreaterThanOrEqual(8);
    expect(reports.length).toBeLessThanOrEqual(10);
  });

  it('keeps the selected clip when prefetching the ones after it', async () => {
    await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.prefetch([ref('c-AAAAAAAAAAAAAAA2')]);

    expect(revoke).not.toHaveBeenCalled();
    expect(soundOf('c-AAAAAAAAAAAAAAA1').unloaded).toBe(false);
  });

  it('stops the previous clip when another is selected', async () => {
    const first = await selectOpened('c-AAAAAAAAAAAAAAA1');
    audio.play();

    await selectOpened('c-AAAAAAAAAAAAAAA2');

    expect(first.playing).toBe(false);
    expect(rec.log).toContain('playing:false');
  });

  it('reports waveform peaks decoded for each clip', async () => {
    await audio.open(ref('c-AAAAAAAAAAAAAAA1'));
    await new Promise((r) => setTimeout(r, 0));

    expect(rec.log).toContain('peaks:c-AAAAAAAAAAAAAAA1:2');
    expect(audio.peaks('c-AAAAAAAAAAAAAAA1')).toEqual([0.5, 1]);
  });
});
