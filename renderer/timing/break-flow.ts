/**
 * Breaks in the review flow. Taking a break (from the escalation dialog, the pace panel or a
 * suggestion) records it in main and hides the clip; resuming ends it. Declining a suggestion
 * (the escalation dialog's "back to the clip" while an escalation break is due, or "not now")
 * is recorded too, so its rule starts counting again.
 */
import type { AudioService } from '../audio/audio-port';
import type { BreakActions } from '../review/review-ports';
import type { AppStore } from '../store';

export type BreakOptions = {
  readonly store: AppStore;
  /** The review flow's audio engine: a break stops it. */
  readonly audio: Pick<AudioService, 'pause'>;
};

export function createBreaks({ store, audio }: BreakOptions): BreakActions {
  const timing = () => store.getState().timing;
  const review = () => store.getState().review;
  return {
    take(): void {
      audio.pause();
      review().setPanel('break');
      void timing().startBreak(timing().panel?.breakDue ?? 'manual');
    },
    resume(): void {
      review().setPanel(null);
      void timing().endBreak();
    },
    suggest(): void {
      const s = review();
      if (timing().panel?.breakDue && s.clip !== null && s.panel === null) {
        audio.pause();
        s.setPanel('breakSuggested');
      }
    },
    panelClosing(): void {
      const due = timing().panel?.breakDue ?? null;
      const panel = review().panel;
      // Where breaks may not be skipped, closing records nothing: the break stays due and is
      // offered again between clips (main refuses a skip then anyway).
      const skippable = timing().panel?.breaksSkippable ?? true;
      if (
        due !== null &&
        skippable &&
        (panel === 'breakSuggested' || (panel === 'escalated' && due === 'escalations'))
      ) {
        void timing().skipBreak(due);
      }
    },
  };
}
