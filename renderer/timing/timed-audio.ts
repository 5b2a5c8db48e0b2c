/**
 * The audio engine with its playback recorded: every play, pause, seek, replay and speed
 * change, and the moment the clip has been heard in full. It wraps the engine the review flow is
 * given, so neither the flow nor the engine knows about timing.
 *
 * A replay is the replay command, or play pressed again after the clip had played to its end.
 */
import type { AudioService } from '../audio/audio-port';
import type { TimingRecorder } from './timing-recorder';

/** Within this of the end, a stopped clip has played to its end. */
const END_SLACK_MS = 150;

export type TimedAudio = AudioService & {
  /** Starts recording the engine's own reports; returns the stop. */
  attach(): () => void;
  readonly isPlaying: () => boolean;
};

/**
 * `held`: while it says so (a break, or a break offered), nothing starts playing, not even the
 * next clip's autoplay that a suggestion shown between clips would otherwise race.
 */
export function timedAudio(
  inner: AudioService,
  recorder: TimingRecorder,
  held: () => boolean = () => false,
): TimedAudio {
  const durations = new Map<string, number>();
  let selected: string | null = null;
  let position = 0;
  let playing = false;
  let atEnd = false;
  let replaying = false;
  let rate: number | null = null;

  const nearEnd = (ms: number): boolean => {
    const duration = selected === null ? undefined : durations.get(selected);
    return duration !== undefined && ms >= duration - END_SLACK_MS;
  };
  const attach = (): (() => void) =>
    inner.listen({
      playing: (on) => {
        if (on === playing) {
          return;
        }
        playing = on;
        if (on) {
          if (atEnd && !replaying) {
            recorder.record('replay', { positionMs: 0 });
          }
          atEnd = false;
          recorder.record('play', { positionMs: Math.round(position) });
        } else {
          atEnd = nearEnd(position);
          recorder.record('pause', { positionMs: Math.round(position) });
          recorder.noteActivity();
        }
      },
      position: (ms) => {
        position = ms;
        // The engine reports the end position just after it stops (a seek while paused, too).
        if (!playing) {
          atEnd = nearEnd(ms);
        }
      },
      heardInFull: (clipId) => {
        if (clipId === selected) {
          recorder.record('heard');
        }
      },
      peaks: () => undefined,
      failed: () => undefined,
    });

  // Every method is written out, none spread from `inner`, so what is recorded and what only
  // passes through both show here, and go-to-definition lands on this layer.
  return {
    attach,
    isPlaying: () => playing,
    play() {
      if (!held()) {
        inner.play();
      }
    },
    toggle() {
      if (playing || !held()) {
        inner.toggle();
      }
    },
    async open(ref) {
      const result = await inner.open(ref);
      if (result.ok) {
        durations.set(result.value.id, result.value.durationMs);
      }
      return result;
    },
    openNow(ref) {
      const info = inner.openNow(ref);
      if (info) {
        durations.set(info.id, info.durationMs);
      }
      return info;
    },
    select(clipId) {
      selected = clipId;
      atEnd = false;
      inner.select(clipId);
    },
    replay() {
      if (held()) {
        return;
      }
      recorder.record('replay', { positionMs: 0 });
      replaying = true;
      try {
        inner.replay();
      } finally {
        replaying = false;
        atEnd = false;
      }
    },
    skip(deltaMs) {
      inner.skip(deltaMs);
      recorder.record('seek', { positionMs: Math.round(position), value: deltaMs });
    },
    setRate(next) {
      inner.setRate(next);
      if (rate !== null && next !== rate && selected !== null) {
        recorder.record('rate', { value: next });
      }
      rate = next;
    },
    clear() {
      selected = null;
      durations.clear();
      inner.clear();
    },
    prefetch: (refs) => inner.prefetch(refs),
    pause: () => inner.pause(),
    setAutoBackstep: (ms) => inner.setAutoBackstep(ms),
    heardInFull: (clipId) => inner.heardInFull(clipId),
    peaks: (clipId) => inner.peaks(clipId),
    listen: (events) => inner.listen(events),
  };
}
