/**
 * Locks the app after the idle time the settings give (no key, pointer or wheel input), follows
 * every `lock:changed` main sends (OS lock and suspend start there), and on locking closes the
 * review screen — the draft is saved, playback stops, decoded clips leave memory — to reopen the
 * same batch where the reviewer was once unlocked.
 */
import type { ReviewerApi } from '../../shared/ipc/contract';
import type { ClipNavigation } from '../review/clip-navigation';
import type { AppStore } from '../store';

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;

export type AttachLockOptions = {
  readonly api: ReviewerApi;
  readonly store: AppStore;
  /** The review flow's clips: closed on locking (and reopened after). */
  readonly clips: Pick<ClipNavigation, 'close' | 'openBatch'>;
  readonly target?: EventTarget;
};

export function attachLock({ api, store, clips, target = window }: AttachLockOptions): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const idleMs = (): number => store.getState().settings.values.idleLockMinutes * 60_000;
  const arm = (): void => {
    if (timer !== null) {
      clearTimeout(timer);
    }
    timer = store.getState().lock.state?.locked
      ? null
      : setTimeout(() => void store.getState().lock.lockNow('idle'), idleMs());
  };

  void store.getState().lock.load();
  const stopEvents = api.lock.onChanged((state) => store.getState().lock.received(state));
  const stopStore = store.subscribe((s, prev) => {
    const now = s.lock.state?.locked === true;
    const before = prev.lock.state?.locked === true;
    if (now && !before) {
      s.ui.closeSettings();
      s.ui.closeHelp();
      s.lock.setResume(s.review.batchId);
      // Always, even with no batch open: the audio engine drops every decoded clip and URL.
      clips.close();
    } else if (!now && before) {
      const resume = s.lock.resume;
      s.lock.setResume(null);
      arm();
      if (resume !== null) {
        void clips.openBatch(resume);
      }
    }
    if (s.settings.values.idleLockMinutes !== prev.settings.values.idleLockMinutes) {
      arm();
    }
  });
  INPUT_EVENTS.forEach((e) => target.addEventListener(e, arm, { passive: true }));
  arm();
  return () => {
    if (timer !== null) {
      clearTimeout(timer);
    }
    INPUT_EVENTS.forEach((e) => target.removeEventListener(e, arm));
    stopEvents();
    stopStore();
  };
}
