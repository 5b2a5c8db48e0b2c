/**
 * The dialogs that cover the review screen: the escalation dialog, and closing whatever panel
 * is open (a tag menu, the escalation dialog, a break offered). A panel that offered a break
 * tells the breaks it was declined before it closes.
 */
import type { EscalationCategory } from '../../shared/domain/annotation';
import type { ClipRef } from '../../shared/ipc/contract';
import { err, type Result } from '../../shared/result';
import type { AudioService } from '../audio/audio-port';
import type { AppStore } from '../store';
import type { BreakActions, ReviewFlowApi } from './review-ports';

export type PanelOptions = {
  readonly api: ReviewFlowApi;
  readonly store: AppStore;
  readonly audio: Pick<AudioService, 'pause'>;
  readonly breaks: Pick<BreakActions, 'panelClosing'>;
  /** The open clip, when its saved work has loaded. */
  readonly openRef: () => ClipRef | null;
};

export function createPanels({ api, store, audio, breaks, openRef }: PanelOptions) {
  const review = () => store.getState().review;
  return {
    /** Stops the audio at once (before anything is awaited), then asks what to escalate. */
    escalate(): void {
      audio.pause();
      review().setPanel('escalation');
    },

    /** Stores the escalation; the dialog stays open, with its note, when that fails. */
    async saveEscalation(category: EscalationCategory, note: string): Promise<Result<unknown>> {
      audio.pause();
      const ref = openRef();
      if (!ref) {
        return err('NOT_FOUND', 'No clip is open.');
      }
      const result = await api.escalations.create({ ...ref, category, note });
      if (result.ok && review().panel === 'escalation') {
        review().setPanel('escalated');
      }
      return result;
    },

    closePanel(): void {
      breaks.panelClosing();
      review().setPanel(null);
    },
  };
}

export type Panels = ReturnType<typeof createPanels>;
