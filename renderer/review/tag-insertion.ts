/**
 * Inserting a tag from the `insertTags` setting ("[noise]", "[music]"…) at the transcript's
 * caret while typing: from the keyboard menu (Ctrl+Shift+T) or straight from a chord for one of
 * the first tags. The text goes in through the transcript box as typed text does, so the box's
 * undo, the span shift, the draft autosave and the timing of edits all follow as for a keystroke.
 */
import { MAX_TRANSCRIPT_CHARS } from '../../shared/domain/annotation';
import type { AppStore } from '../store';
import type { TextRange } from '../store/slices/review.slice';
import type { CaretSnapshot, TranscriptPort } from './transcript-port';

/** Characters a tag may follow directly: blanks, and openers such as "(" or "¿". */
const NO_SPACE_BEFORE = /[\s([{«“‘¿¡"']/u;
/** Characters a tag may precede directly: blanks, closing brackets and punctuation. */
const NO_SPACE_AFTER = /[\s)\]}»”’.,;:!?…"']/u;

/** The text to put in place of `range` so that `tag` stands apart from the words round it. */
export function spacedTag(text: string, range: TextRange, tag: string): string {
  const before = text.charAt(range.start - 1);
  const after = text.charAt(range.end);
  const lead = before !== '' && !NO_SPACE_BEFORE.test(before) ? ' ' : '';
  const trail = after !== '' && !NO_SPACE_AFTER.test(after) ? ' ' : '';
  return `${lead}${tag}${trail}`;
}

/** What came of an insertion: done, refused because the transcript would pass its limit, or no box. */
export type InsertOutcome = 'inserted' | 'tooLong' | 'noEditor';

export function createTagInsertion(store: AppStore) {
  const review = () => store.getState().review;
  const tags = () => store.getState().settings.values.insertTags;
  let port: TranscriptPort | null = null;
  /** Where the caret was when the menu opened; the menu has the focus meanwhile. */
  let opened: CaretSnapshot | null = null;

  const menuOpen = (): boolean => review().panel === 'insertTag';

  const insertAt = (range: TextRange, tag: string): InsertOutcome => {
    const now = port?.read();
    if (!port || !now) {
      return 'noEditor';
    }
    const text = spacedTag(now.value, range, tag);
    if (now.value.length - (range.end - range.start) + text.length > MAX_TRANSCRIPT_CHARS) {
      return 'tooLong';
    }
    return port.replace(range, text) ? 'inserted' : 'noEditor';
  };

  return {
    /** The transcript box hands over its port while it is on the page; returns the undo. */
    bindTranscript(next: TranscriptPort): () => void {
      port = next;
      return () => {
        if (port === next) {
          port = null;
        }
      };
    },

    /** Replaces `range` with `text` as one edit the box's own undo takes back (a proposal accepted). */
    replaceRange(range: TextRange, text: string): InsertOutcome {
      const now = port?.read();
      if (!port || !now) {
        return 'noEditor';
      }
      if (now.value.length - (range.end - range.start) + text.length > MAX_TRANSCRIPT_CHARS) {
        return 'tooLong';
      }
      return port.replace(range, text) ? 'inserted' : 'noEditor';
    },

    /** Opens the tag menu over the editor, remembering the caret it will insert at. */
    openInsertMenu(): void {
      const snapshot = port?.read() ?? null;
      if (!snapshot || tags().length === 0) {
        return;
      }
      opened = snapshot;
      review().setPanel('insertTag');
    },

    /**
     * Inserts `tag` where the caret was when the menu opened (or, with the menu closed, where it
     * is now), replacing any selection. The menu closes unless the tag did not fit.
     */
    insertTag(tag: string): InsertOutcome {
      const fromMenu = menuOpen() && opened !== null;
      const range = fromMenu && opened ? opened : port?.read();
      if (!range) {
        return 'noEditor';
      }
      const outcome = insertAt(range, tag);
      if (fromMenu && outcome !== 'tooLong') {
        opened = null;
        review().setPanel(null);
      }
      return outcome;
    },

    /** Closes the menu; with `restore`, the focus goes back to the caret exactly as it was. */
    closeInsertMenu(restore: boolean): void {
      const snapshot = opened;
      opened = null;
      if (menuOpen()) {
        review().setPanel(null);
      }
      if (restore && snapshot) {
        port?.restore(snapshot);
      }
    },
  };
}

export type TagInsertion = ReturnType<typeof createTagInsertion>;
