/**
 * The one audio engine: owns the Howl instances (through the clip cache), plays the selected
 * clip, and reports playback to whoever listens. Lives outside the store; the store only gets
 * the serializable facts (playing, position, heard in full, peaks).
 */
import type { OpenedClip } from '../../shared/domain/clip';
import type { ClipRef } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';
import type { AudioEvents, AudioService } from './audio-port';
import { createClipCache, type CachedClip, type ObjectUrls } from './clip-cache';
import { createHowlSound } from './howl-sound';
import { decodePeaks } from './peaks';
import { clampRate, resumePosition, skipTarget } from './playback-math';
import type { SoundFactory } from './sound';

/** Position reports per second: enough for a readout and a playhead, cheap for React. */
const REPORT_INTERVAL_MS = 100;

export type Frames = { request(cb: () => void): number; cancel(handle: number): void; now(): number };

export type AudioServiceOptions = {
  readonly openClip: (ref: ClipRef) => Promise<Result<OpenedClip>>;
  readonly createSound?: SoundFactory;
  readonly decodePeaks?: (bytes: Uint8Array) => Promise<readonly number[] | null>;
  readonly urls?: ObjectUrls;
  readonly frames?: Frames;
};

/** How often playback is sampled (heard-in-full coverage, position reports). */
const POLL_MS = 50;

/**
 * Playback is polled on a timer, not every animation frame: nothing on screen moves faster than
 * the ten-a-second position reports, and a frame loop would keep the page rendering frame after
 * frame while a clip plays, so every keystroke would wait behind a frame in progress.
 */
const browserFrames: Frames = {
  request: (cb) => window.setTimeout(cb, POLL_MS),
  cancel: (handle) => window.clearTimeout(handle),
  now: () => performance.now(),
};

const browserUrls: ObjectUrls = {
  create: (blob) => URL.createObjectURL(blob),
  revoke: (url) => URL.revokeObjectURL(url),
};

export function createAudioService(options: AudioServiceOptions): AudioService {
  const frames = options.frames ?? browserFrames;
  const listeners = new Set<AudioEvents>();
  const emit = (fn: (l: AudioEvents) => void): void => listeners.forEach(fn);

  let current: CachedClip | null = null;
  let selectedRef: ClipRef | null = null;
  let playing = false;
  let rate = 1;
  /** How far a resume after a pause backs up (the autoBackstepMs setting); 0 = not at all. */
  let backstepMs = 1_000;
  /** Set when the reviewer paused mid-clip: the next play backs up a little. */
  let pausedMidClip = false;
  let frame: number | null = null;
  let lastReport = -Infinity;

  const durationOf = (c: CachedClip): number => c.sound.durationMs() || c.info.durationMs;

  const checkHeard = (c: CachedClip): void => {
    if (!c.heard && c.coverage.heardInFull(durationOf(c))) {
      c.heard = true;
      emit((l) => l.heardInFull(c.info.id));
    }
  };

  const report = (positionMs: number): void => {
    lastReport = frames.now();
    emit((l) => l.position(positionMs));
  };

  const stopLoop = (): void => {
    if (frame !== null) {
      frames.cancel(frame);
      frame = null;
    }
  };

  const tick = (): void => {
    frame = null;
    if (!current || !playing) {
      return;
    }
    const position = current.sound.positionMs();
    current.coverage.observe(position);
    checkHeard(current);
    if (frames.now() - lastReport >= REPORT_INTERVAL_MS) {
      report(position);
    }
    frame = frames.request(tick);
  };

  const setPlaying = (next: boolean): void => {
    if (playing !== next) {
      playing = next;
      emit((l) => l.playing(next));
    }
  };

  const seekTo = (c: CachedClip, positionMs: number): void => {
    c.sound.seek(positionMs);
    c.coverage.jump(positionMs);
    pausedMidClip = false;
    report(positionMs);
  };

  const soundFactory = options.createSound ?? createHowlSound;
  const cache = createClipCache({
    openClip: options.openClip,
    // A clip fetched ahead is loaded at the reviewer's rate: selecting it then changes nothing on
    // its media element, which a rate change at the switch itself would make reconfigure.
    createSound: (url, codec, handlers) => {
      const sound = soundFactory(url, codec, handlers);
      sound.setRate(rate);
      return sound;
    },
    decodePeaks: options.decodePeaks ?? decodePeaks,
    urls: options.urls ?? browserUrls,
    ended: (clipId) => {
      if (current?.info.id !== clipId) {
        return;
      }
      stopLoop();
      current.coverage.ended(durationOf(current));
      checkHeard(current);
      pausedMidClip = false;
      setPlaying(false);
      report(durationOf(current));
    },
    failed: (clipId, message) => {
      if (current?.info.id === clipId) {
        stopLoop();
        setPlaying(false);
      }
      emit((l) => l.failed(clipId, message));
    },
    peaks: (clipId, peaks) => emit((l) => l.peaks(clipId, peaks)),
  });

  const pause = (): void => {
    if (!current || !playing) {
      return;
    }
    const position = current.sound.positionMs();
    current.sound.pause();
    stopLoop();
    current.coverage.observe(position);
    current.coverage.stop();
    checkHeard(current);
    pausedMidClip = position > 0 && position < durationOf(current);
    setPlaying(false);
    report(position);
  };

  const play = (): void => {
    if (!current || playing) {
      return;
    }
    if (pausedMidClip && backstepMs > 0) {
      seekTo(current, resumePosition(current.sound.positionMs(), backstepMs));
    }
    pausedMidClip = false;
    current.sound.setRate(rate);
    current.sound.play();
    current.coverage.jump(current.sound.positionMs());
    setPlaying(true);
    stopLoop();
    frame = frames.request(tick);
  };

  return {
    open: (ref) => cache.open(ref),
    openNow: (ref) => cache.openNow(ref),
    prefetch(refs) {
      cache.retain(selectedRef ? [selectedRef, ...refs.filter((r) => r.clipId !== selectedRef?.clipId)] : refs);
    },
    select(clipId) {
      pause();
      stopLoop();
      setPlaying(false);
      current = clipId === null ? null : (cache.get(clipId) ?? null);
      selectedRef = current ? { batchId: current.info.batchId, clipId: current.info.id } : null;
      pausedMidClip = false;
      if (current) {
        current.sound.setRate(rate);
        // A clip still at its start (a prefetched one) is not seeked: a seek empties the media
        // pipeline, and the play that follows would wait for it to fill again.
        if (current.sound.positionMs() === 0) {
          current.coverage.jump(0);
          report(0);
        } else {
          seekTo(current, 0);
        }
      }
    },
    play,
    pause,
    toggle: () => (playing ? pause() : play()),
    replay() {
      if (current) {
        seekTo(current, 0);
        play();
      }
    },
    skip(deltaMs) {
      if (current) {
        seekTo(current, skipTarget(current.sound.positionMs(), deltaMs, durationOf(current)));
      }
    },
    setRate(next) {
      rate = clampRate(next);
      current?.sound.setRate(rate);
    },
    setAutoBackstep(ms) {
      backstepMs = Math.max(0, ms);
    },
    heardInFull: (clipId) => cache.get(clipId)?.heard ?? false,
    peaks: (clipId) => cache.get(clipId)?.peaks ?? null,
    listen(events) {
      listeners.add(events);
      return () => listeners.delete(events);
    },
    clear() {
      pause();
      stopLoop();
      current = null;
      selectedRef = null;
      cache.clear();
    },
  };
}
