/**
 * What covers the review screen: tag menus for the selected transcript text, the escalation
 * dialog and the break it may lead to. Part of the review flow, kept apart to keep both small.
 */
import type { CriticalCategory, EscalationCategory } from '../../shared/domain/annotation';
import type { ClipRef, ReviewerApi } from '../../shared/ipc/contract';
import { err, type Result } from '../../shared/result';
import type { AudioService } from '../audio/audio-port';
import type { AppStore } from '../store';
import type { SpanKind, TextRange } from '../store/slices/review.slice';

/** Reads the transcript box's selection; null when the box is not on the page. */
export type SelectionSource = () => TextRange | null;

type PanelDeps = {
  readonly api: ReviewerApi;
  readonly store: AppStore;
  readonly audio: AudioService;
  /** The open clip, when its saved work has loaded. */
  readonly openRef: () => ClipRef | null;
  /** Queues a draft save of the open clip's current work. */
  readonly saveDraft: () => void;
};

/** The selection without the blanks at its edges: a tag covers words, not the spaces round them. */
export function trimRange(text: string, range: TextRange): TextRange {
  let { start, end } = range;
  while (start < end && /\s/.test(text.charAt(start))) {
    start += 1;
  }
  while (end > start && /\s/.test(text.charAt(end - 1))) {
    end -= 1;
  }
  return { start, end };
}

export function createPanelActions({ api, store, audio, openRef, saveDraft }: PanelDeps) {
  const review = () => store.getState().review;
  let selection: SelectionSource = () => null;

  const tagged = (add: (range: TextRange) => void): void => {
    const range = review().tagRange;
    review().setPanel(null);
    if (range) {
      add(range);
      saveDraft();
    }
  };

  return {
    /** The transcript box reports its selection through this; returns the undo. */
    bindSelection(source: SelectionSource): () => void {
      selection = source;
      return () => {
        if (selection === source) {
          selection = () => null;
        }
      };
    },

    /** Opens a tag menu on the selected text; with nothing selected, says so instead. */
    openTagMenu(kind: 'critical' | 'entity'): void {
      const raw = selection();
      const range = raw ? trimRange(review().body.transcript, raw) : null;
      if (!range || range.start >= range.end) {
        review().setNotice('noSelection');
        return;
      }
      if (review().notice === 'noSelection') {
        review().setNotice(null);
      }
      review().setPanel(kind, range);
    },

    tagCritical: (category: CriticalCategory): void => tagged((r) => review().addCritical({ ...r, category })),
    tagEntity: (type: string, kbId: string): void =>
      tagged((r) => review().addEntity(kbId.trim() === '' ? { ...r, type } : { ...r, type, kbId: kbId.trim() })),
    removeSpan(kind: SpanKind, index: number): void {
      review().removeSpan(kind, index);
      saveDraft();
    },

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

    closePanel: (): void => review().setPanel(null),
    takeBreak(): void {
      audio.pause();
      review().setPanel('break');
    },
    /** Back to the clip; its audio stays stopped until the reviewer plays it. */
    resume: (): void => review().setPanel(null),
  };
}

export type PanelActions = ReturnType<typeof createPanelActions>;
