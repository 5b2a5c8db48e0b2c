/**
 * Breaks in the review flow. Taking a break (from the escalation dialog, the pace panel or a
 * suggestion) records it in main and hides the clip; resuming ends it. Declining a suggestion
 * (the escalation dialog's "back to the clip" while an escalation break is due, or "not now")
 * is recorded too, so its rule starts counting again.
 */
import type { AudioService } from '../audio/audio-port';
import type { ReviewFlow } from '../review/review-flow';
import type { AppStore } from '../store';

export type BreakFlow = ReviewFlow & {
  /** Offers a break that main says is due, if nothing covers the clip; after a submit. */
  suggestBreak(): void;
};

export function withBreaks(flow: ReviewFlow, store: AppStore, audio: AudioService): BreakFlow {
  const timing = () => store.getState().timing;
  const review = () => store.getState().review;
  return {
    ...flow,
    takeBreak(): void {
      flow.takeBreak();
      void timing().startBreak(timing().panel?.breakDue ?? 'manual');
    },
    resume(): void {
      flow.resume();
      void timing().endBreak();
    },
    closePanel(): void {
      const due = timing().panel?.breakDue ?? null;
      const panel = review().panel;
      if (due !== null && (panel === 'breakSuggested' || (panel === 'escalated' && due === 'escalations'))) {
        void timing().skipBreak(due);
      }
      flow.closePanel();
    },
    suggestBreak(): void {
      const s = review();
      if (timing().panel?.breakDue && s.clip !== null && s.panel === null) {
        audio.pause();
        s.setPanel('breakSuggested');
      }
    },
  };
}
