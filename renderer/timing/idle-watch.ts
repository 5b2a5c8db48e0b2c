/**
 * Tells the recorder when the reviewer is not working: the window hidden or blurred, no key or
 * pointer input for the idle threshold (while no audio plays: listening is work), the screen
 * locked or the machine asleep (main pushes those). Idle from no input starts when the threshold
 * passed, not when it was noticed.
 */
import type { PowerState } from '../../shared/domain/timing';
import type { Unsubscribe } from '../../shared/ipc/contract';
import type { TimingRecorder } from './timing-recorder';

/** How often the no-input threshold is checked. */
const CHECK_EVERY_MS = 1_000;
const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;

export type IdleWatchOptions = {
  readonly recorder: TimingRecorder;
  /** Seconds without input before time stops counting as active. */
  readonly idleSeconds: () => number;
  /** Whether audio is playing now. */
  readonly playing: () => boolean;
  /** Main's lock and sleep notices. */
  readonly onPower: (listener: (p: { readonly state: PowerState }) => void) => Unsubscribe;
  readonly window?: Window;
  readonly every?: (ms: number, tick: () => void) => () => void;
};

export function watchIdle(o: IdleWatchOptions): () => void {
  const win = o.window ?? window;
  const doc = win.document;
  const r = o.recorder;

  const input = (): void => {
    r.noteActivity();
    if (r.isIdle('no_input')) {
      r.setIdle('no_input', false);
    }
  };
  const visibility = (): void => {
    const hidden = doc.visibilityState === 'hidden';
    r.setIdle('hidden', hidden);
    if (hidden) {
      void r.flush();
    }
  };
  const blur = (): void => {
    r.setIdle('blur', true);
    void r.flush();
  };
  const focus = (): void => {
    r.setIdle('blur', false);
    input();
  };
  const check = (): void => {
    const limit = o.idleSeconds() * 1_000;
    if (o.playing()) {
      r.noteActivity();
    } else if (!r.isIdle('no_input') && r.now() - r.lastActivity() >= limit) {
      r.setIdle('no_input', true, r.lastActivity() + limit);
    }
  };

  for (const e of INPUT_EVENTS) {
    win.addEventListener(e, input, { capture: true, passive: true });
  }
  doc.addEventListener('visibilitychange', visibility);
  win.addEventListener('blur', blur);
  win.addEventListener('focus', focus);
  const stopPower = o.onPower(({ state }) => {
    if (state === 'lock' || state === 'unlock') {
      r.setIdle('lock', state === 'lock');
    } else {
      r.setIdle('suspend', state === 'suspend');
    }
    void r.flush();
  });
  const stopTimer = (
    o.every ??
    ((ms, tick) => {
      const id = setInterval(tick, ms);
      return () => clearInterval(id);
    })
  )(CHECK_EVERY_MS, check);
  visibility();
  if (!doc.hasFocus()) {
    r.setIdle('blur', true);
  }

  return () => {
    for (const e of INPUT_EVENTS) {
      win.removeEventListener(e, input, { capture: true });
    }
    doc.removeEventListener('visibilitychange', visibility);
    win.removeEventListener('blur', blur);
    win.removeEventListener('focus', focus);
    stopPower();
    stopTimer();
  };
}
