/**
 * An in-memory AudioService for tests of the flow and the screen: jsdom cannot play audio. It
 * opens clips through the real API, like the real service, and lets a test "hear" a clip.
 */
import type { OpenedClip } from '../../../shared/domain/clip';
import type { ClipRef } from '../../../shared/ipc/contract';
import { ok, type Result } from '../../../shared/result';
import type { AudioEvents, AudioService, ClipInfo } from '../../../renderer/audio/audio-port';
import { clampRate } from '../../../renderer/audio/playback-math';

export type FakeAudio = AudioService & {
  /** Clip ids in the order they were opened through the API. */
  readonly fetched: string[];
  /** Every call, by method name, in order. */
  readonly calls: string[];
  /** Ids kept by the last prefetch. */
  kept: string[];
  selected: string | null;
  playing: boolean;
  rate: number;
  /** The backstep the review flow set, in ms. */
  backstepMs: number;
  positionMs: number;
  /** Plays the selected clip to its end, as the real service would report it. */
  hearToEnd(): void;
};

export function createFakeAudio(openClip: (ref: ClipRef) => Promise<Result<OpenedClip>>): FakeAudio {
  const infos = new Map<string, ClipInfo>();
  const pending = new Map<string, Promise<Result<ClipInfo>>>();
  const heard = new Set<string>();
  const listeners = new Set<AudioEvents>();
  const emit = (fn: (l: AudioEvents) => void): void => listeners.forEach(fn);

  const load = (ref: ClipRef): Promise<Result<ClipInfo>> => {
    const info = infos.get(ref.clipId);
    if (info) {
      return Promise.resolve(ok(info));
    }
    const inFlight = pending.get(ref.clipId);
    if (inFlight) {
      return inFlight;
    }
    fake.fetched.push(ref.clipId);
    const opening = openClip(ref).then((r): Result<ClipInfo> => {
      pending.delete(ref.clipId);
      if (!r.ok) {
        return r;
      }
      const { audio: _audio, ...rest } = r.value;
      infos.set(ref.clipId, rest);
      return ok(rest);
    });
    pending.set(ref.clipId, opening);
    return opening;
  };

  const setPlaying = (playing: boolean): void => {
    fake.playing = playing;
    emit((l) => l.playing(playing));
  };

  const fake: FakeAudio = {
    fetched: [],
    calls: [],
    kept: [],
    selected: null,
    playing: false,
    rate: 1,
    backstepMs: 1_000,
    positionMs: 0,
    open(ref) {
      fake.calls.push('open');
      return load(ref);
    },
    openNow(ref) {
      const info = infos.get(ref.clipId) ?? null;
      if (info) {
        fake.calls.push('openNow');
      }
      return info;
    },
    prefetch(refs) {
      fake.calls.push('prefetch');
      fake.kept = refs.map((r) => r.clipId);
      refs.forEach((r) => void load(r));
    },
    select(clipId) {
      fake.calls.push('select');
      fake.selected = clipId;
      fake.positionMs = 0;
      if (fake.playing) {
        setPlaying(false);
      }
    },
    play() {
      fake.calls.push('play');
      if (fake.selected !== null && !fake.playing) {
        setPlaying(true);
      }
    },
    pause() {
      fake.calls.push('pause');
      if (fake.playing) {
        setPlaying(false);
      }
    },
    toggle() {
      if (fake.playing) {
        fake.pause();
      } else {
        fake.play();
      }
    },
    replay() {
      fake.calls.push('replay');
      fake.positionMs = 0;
      fake.play();
    },
    skip(deltaMs) {
      fake.calls.push(`skip:${deltaMs}`);
      fake.positionMs = Math.max(0, fake.positionMs + deltaMs);
      emit((l) => l.position(fake.positionMs));
    },
    setRate(rate) {
      fake.rate = clampRate(rate);
    },
    setAutoBackstep(ms) {
      fake.backstepMs = ms;
    },
    heardInFull: (clipId) => heard.has(clipId),
    peaks: () => null,
    listen(events) {
      listeners.add(events);
      return () => listeners.delete(events);
    },
    clear() {
      fake.calls.push('clear');
      fake.selected = null;
      fake.playing = false;
      infos.clear();
    },
    hearToEnd() {
      const id = fake.selected;
      if (id === null) {
        throw new Error('no clip selected');
      }
      heard.add(id);
      fake.positionMs = infos.get(id)?.durationMs ?? 0;
      emit((l) => l.position(fake.positionMs));
      emit((l) => l.heardInFull(id));
      setPlaying(false);
    },
  };
  return fake;
}
