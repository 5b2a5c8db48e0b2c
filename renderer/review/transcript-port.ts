/**
 * What the review flow may do to the transcript box besides reading its selection: take a
 * snapshot of the caret, put it back, and replace a range of text the way typing would, so the
 * change lands on the box's own undo history and reaches the flow through the box's `input`.
 */
import type { TextRange } from '../store/slices/review.slice';

/** The box's text and caret (or selection) at one moment. */
export type CaretSnapshot = {
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** The selection was made leftwards (Shift+Left), so its moving end is `start`. */
  readonly backward: boolean;
  readonly scrollTop: number;
};

export type TranscriptPort = {
  /** The box's text and caret now; null when the box is not on the page. */
  read(): CaretSnapshot | null;
  /** Focuses the box with the caret and scroll exactly as in `snapshot`. */
  restore(snapshot: CaretSnapshot): void;
  /** Replaces `range` with `text` as one undoable edit, leaving the caret after it; false without a box. */
  replace(range: TextRange, text: string): boolean;
};

const clamp = (n: number, max: number): number => Math.max(0, Math.min(n, max));

/** A port over a textarea that may be remounted (a new clip): `box` is asked each time. */
export function textareaPort(box: () => HTMLTextAreaElement | null): TranscriptPort {
  return {
    read() {
      const el = box();
      return el
        ? {
            value: el.value,
            start: el.selectionStart,
            end: el.selectionEnd,
            backward: el.selectionDirection === 'backward',
            scrollTop: el.scrollTop,
          }
        : null;
    },

    restore(snapshot) {
      const el = box();
      if (!el) {
        return;
      }
      el.focus({ preventScroll: true });
      const length = el.value.length;
      el.setSelectionRange(
        clamp(snapshot.start, length),
        clamp(snapshot.end, length),
        snapshot.backward ? 'backward' : 'forward',
      );
      el.scrollTop = snapshot.scrollTop;
    },

    replace(range, text) {
      const el = box();
      if (!el) {
        return false;
      }
      const length = el.value.length;
      const start = clamp(range.start, length);
      const end = clamp(range.end, length);
      el.focus({ preventScroll: true });
      el.setSelectionRange(start, end);
      const doc = el.ownerDocument;
      // `insertText` is the one way to change a text box that Chromium records on the box's own
      // undo stack: Ctrl+Z then takes the whole insertion out in one step and Ctrl+Shift+Z or
      // Ctrl+Y puts it back, mixed in order with what was typed. Setting `value` would wipe the
      // history. It fires `input` as typing does. Deprecated in name only: no replacement exists.
      /* eslint-disable @typescript-eslint/no-deprecated -- see above: the only undoable edit */
      if (
        doc.activeElement === el &&
        typeof doc.execCommand === 'function' &&
        doc.execCommand('insertText', false, text)
      ) {
        /* eslint-enable @typescript-eslint/no-deprecated */
        return true;
      }
      // Without editing commands (a browser that refuses them, or jsdom) the text still goes in,
      // without an undo step of its own.
      el.setRangeText(text, start, end, 'end');
      el.dispatchEvent(new Event('input', { bubbles: true }));
      return true;
    },
  };
}
