/**
 * Tagging spans of the transcript as critical data or an entity: the tag menu opens on the text
 * selected in the transcript box, and a chosen tag is kept in the draft.
 */
import type { CriticalCategory } from '../../shared/domain/annotation';
import type { AppStore } from '../store';
import type { SpanKind, TextRange } from '../store/slices/review.slice';

/** Reads the transcript box's selection; null when the box is not on the page. */
export type SelectionSource = () => TextRange | null;

export type SpanTagOptions = {
  readonly store: AppStore;
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

export function createSpanTags({ store, saveDraft }: SpanTagOptions) {
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

    /** The selected text's range without its edge blanks; null when nothing (or only blanks) is selected. */
    selected(): TextRange | null {
      const raw = selection();
      const range = raw ? trimRange(review().body.transcript, raw) : null;
      return range && range.start < range.end ? range : null;
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
  };
}

export type SpanTags = ReturnType<typeof createSpanTags>;
