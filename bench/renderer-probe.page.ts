/**
 * Runs in the benchmarked page, before the app's own scripts, and times what the reviewer sees:
 * - a keystroke typed into the transcript box: from the key event's timestamp to the end of
 *   the frame that paints it;
 * - a submit (Ctrl+Enter): from the key event to the end of the frame that shows the next
 *   clip (new id, new transcript box) while its audio element plays with data to play;
 * - a no-op key (Shift): the same round trip with no work, the floor of both.
 * "End of the frame" is a message posted from requestAnimationFrame: it runs once that frame's
 * style, layout and paint are done. It also speeds media up (clip audio plays `speedup` times
 * faster than the app asks) so a thousand clips can be heard in full in minutes.
 */

type Played = { readonly el: HTMLMediaElement; readonly at: number };

export type ProbeSamples = {
  keys: number[];
  switches: number[];
  floor: number[];
  /** The renderer's own `earmark:clip-switch` measures (submit handler to next clip playing). */
  handler: number[];
  failures: number;
};

export type Probe = {
  /** Resolves once `count` clip switches have been timed (or given up on) since the last drain. */
  waitSwitches(count: number): Promise<void>;
  /** Resolves once `count` keystrokes have been timed since the last drain. */
  waitKeys(count: number): Promise<void>;
  /** Resolves once `count` no-op keys have been timed since the last drain. */
  waitFloor(count: number): Promise<void>;
  /** Hands over the samples taken so far and forgets them. */
  drain(): ProbeSamples;
};

const SWITCH_GIVE_UP_MS = 5_000;
const SPEEDUP = 8;

const empty = (): ProbeSamples => ({ keys: [], switches: [], floor: [], handler: [], failures: 0 });
let samples = empty();
let lastPlay: Played | null = null;
let waiter: (() => void) | null = null;
const settle = (): void => waiter?.();

function afterPaint(then: () => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      then();
    };
    channel.port2.postMessage(null);
  });
}

const clipId = (): string | null => document.querySelector('[data-testid="clip-id"]')?.textContent ?? null;

function watchSwitch(t0: number): void {
  const fromId = clipId();
  const fromBox = document.getElementById('transcript');
  const check = (): void => {
    const box = document.getElementById('transcript');
    const played = lastPlay;
    const ready =
      clipId() !== fromId &&
      box !== null &&
      box !== fromBox &&
      played !== null &&
      played.at >= t0 &&
      // Playing with data to play; or, on a machine slow enough, already played to its end.
      ((!played.el.paused && played.el.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA) || played.el.ended);
    if (ready) {
      // Checked inside a frame's callbacks: this frame paints what was seen.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        samples.switches.push(performance.now() - t0);
        settle();
      };
      channel.port2.postMessage(null);
    } else if (performance.now() - t0 > SWITCH_GIVE_UP_MS) {
      samples.failures += 1;
      settle();
    } else {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
}

function onKeyDown(e: KeyboardEvent): void {
  const t0 = e.timeStamp;
  if (e.code === 'Enter' && (e.ctrlKey || e.metaKey)) {
    watchSwitch(t0);
  } else if (e.code === 'ShiftLeft') {
    afterPaint(() => {
      samples.floor.push(performance.now() - t0);
      settle();
    });
  } else if (
    !e.ctrlKey &&
    !e.altKey &&
    !e.metaKey &&
    e.key.length === 1 &&
    document.activeElement?.id === 'transcript'
  ) {
    afterPaint(() => {
      samples.keys.push(performance.now() - t0);
      settle();
    });
  }
}

function speedUpMedia(): void {
  const rate = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'playbackRate');
  const play = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'play')?.value as
    ((this: HTMLMediaElement) => Promise<void>) | undefined;
  if (!rate?.get || !rate.set || !play) {
    throw new Error('HTMLMediaElement has no playbackRate or play.');
  }
  Object.defineProperty(HTMLMediaElement.prototype, 'playbackRate', {
    configurable: true,
    get(this: HTMLMediaElement) {
      return (rate.get?.call(this) as number) / SPEEDUP;
    },
    set(this: HTMLMediaElement, value: number) {
      rate.set?.call(this, Math.min(16, value * SPEEDUP));
    },
  });
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    lastPlay = { el: this, at: performance.now() };
    return play.call(this);
  };
}

function waitFor(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => {
      if (done()) {
        waiter = null;
        resolve();
      } else {
        waiter = poll;
      }
    };
    poll();
  });
}

speedUpMedia();
addEventListener('keydown', onKeyDown, { capture: true });
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.name === 'earmark:clip-switch') {
      samples.handler.push(entry.duration);
    }
  }
}).observe({ type: 'measure' });

const probe: Probe = {
  waitSwitches: (count) => waitFor(() => samples.switches.length + samples.failures >= count),
  waitKeys: (count) => waitFor(() => samples.keys.length >= count),
  waitFloor: (count) => waitFor(() => samples.floor.length >= count),
  drain() {
    const out = samples;
    samples = empty();
    return out;
  },
};
(window as Window & { __earmarkProbe?: Probe }).__earmarkProbe = probe;
