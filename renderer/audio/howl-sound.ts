/**
 * The Howler adapter. `html5: true` plays through an HTMLMediaElement, which keeps the pitch
 * when the rate changes (Web Audio's playbackRate would not: "chipmunk" playback), and plays
 * straight from the blob: URL without an XHR (which the CSP's connect-src would refuse).
 */
import { Howl } from 'howler';
import type { SoundFactory } from './sound';

/** Howler keeps the media elements private; this is the one place that reaches for them. */
type HowlInternals = {
  readonly _sounds?: readonly { readonly _node?: unknown }[];
  _clearSound?: (node: HTMLMediaElement) => void;
};

/**
 * Howler empties a media element on unload by pointing it at a data: WAV, which our CSP
 * (media-src blob: only) refuses, logging a violation per clip. Detaching the source releases
 * the element just the same.
 */
function detachSource(node: HTMLMediaElement): void {
  node.removeAttribute('src');
  node.load();
}

/**
 * Howler sets currentTime before every play, even to the position the element is already at.
 * Chromium takes that as a seek: it empties the media pipeline, and the clip starts only once it
 * has filled again, tens of milliseconds later. A "seek" to where the element already is is
 * skipped, so a prefetched clip starts at once.
 */
export function elideNoOpSeeks(node: HTMLMediaElement): void {
  const native = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'currentTime');
  if (!native?.get || !native.set || Object.hasOwn(node, 'currentTime')) {
    return;
  }
  const now = (): number => native.get?.call(node) as number;
  Object.defineProperty(node, 'currentTime', {
    configurable: true,
    get: now,
    set: (seconds: number) => {
      if (seconds !== now()) {
        native.set?.call(node, seconds);
      }
    },
  });
}

function mediaNodes(howl: Howl): HTMLMediaElement[] {
  const sounds = (howl as unknown as HowlInternals)._sounds ?? [];
  return sounds.map((s) => s._node).filter((n): n is HTMLMediaElement => n instanceof HTMLMediaElement);
}

/** Sets preservesPitch on every element of the Howl and says whether all of them keep pitch. */
export function keepPitch(howl: Howl): boolean {
  const sounds = (howl as unknown as HowlInternals)._sounds ?? [];
  let all = sounds.length > 0;
  for (const s of sounds) {
    if (s._node instanceof HTMLMediaElement) {
      s._node.preservesPitch = true;
      all &&= s._node.preservesPitch;
    } else {
      all = false;
    }
  }
  return all;
}

export const createHowlSound: SoundFactory = (url, codec, handlers) => {
  let id: number | undefined;
  const howl = new Howl({
    src: [url],
    // A blob: URL has no extension, so Howler must be told the format.
    format: [codec],
    html5: true,
    preload: true,
    onend: () => handlers.ended(),
    onloaderror: (_id, error) => handlers.failed(String(error)),
    onplayerror: (_id, error) => handlers.failed(String(error)),
  });
  (howl as unknown as HowlInternals)._clearSound = detachSource;
  keepPitch(howl);
  mediaNodes(howl).forEach(elideNoOpSeeks);

  return {
    play() {
      mediaNodes(howl).forEach(elideNoOpSeeks);
      id = howl.play(id);
      keepPitch(howl);
    },
    pause() {
      if (id !== undefined) {
        howl.pause(id);
      }
    },
    seek(positionMs) {
      if (id === undefined) {
        howl.seek(positionMs / 1000);
      } else {
        howl.seek(positionMs / 1000, id);
      }
    },
    positionMs() {
      const seconds = id === undefined ? howl.seek() : howl.seek(id);
      return typeof seconds === 'number' ? seconds * 1000 : 0;
    },
    durationMs: () => howl.duration() * 1000,
    setRate(rate) {
      // Howler re-arms its end timer and reads the position on every call; a clip selected at
      // the rate it already has needs none of it.
      if (howl.rate() !== rate) {
        howl.rate(rate);
      }
    },
    unload() {
      howl.unload();
    },
  };
};
