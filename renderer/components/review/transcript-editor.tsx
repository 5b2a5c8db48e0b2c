import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TRANSCRIPT_CHARS } from '../../../shared/domain/annotation';
import { afterNextPaint } from '../../review/after-paint';
import { useReview } from '../../review/review-context';
import { textareaPort } from '../../review/transcript-port';
import { useAppStore, useAppStoreApi } from '../../store/store-context';
import { InsertTagMenu } from './insert-tag-menu';
import { followHighlights, TranscriptHighlights } from './transcript-highlights';

/** How long typing must pause before the box is resized to its text. */
const FIT_SETTLE_MS = 150;

/**
 * A transcript box for one clip: the attributes a React-rendered one had, its text set, the
 * caret at its end. Main refuses longer drafts than `maxlength`; without a cap a pasted megabyte
 * would also stall the live diff. No OS spell checker or autocorrect: transcripts stay inside
 * the app.
 */
function createBox(label: string, text: string, edited: (text: string) => void): HTMLTextAreaElement {
  const el = document.createElement('textarea');
  el.id = 'transcript';
  el.className = 'transcript';
  el.setAttribute('aria-label', label);
  el.setAttribute('dir', 'auto');
  el.setAttribute('maxlength', String(MAX_TRANSCRIPT_CHARS));
  el.setAttribute('spellcheck', 'false');
  el.setAttribute('autocomplete', 'off');
  el.setAttribute('autocorrect', 'off');
  el.setAttribute('autocapitalize', 'off');
  el.value = text;
  el.setSelectionRange(text.length, text.length);
  el.addEventListener('input', () => edited(el.value));
  return el;
}

/**
 * The transcript box is uncontrolled: React never writes to it while the reviewer types, so the
 * browser's own undo/redo history stays whole. (With a `defaultValue` prop React rewrites the
 * box's default text after every input event, and that DOM change makes Chromium undo one
 * character at a time.) Each opened clip gets a new box, so its undo history is the clip's own.
 *
 * The box is made and swapped in here, outside React, the moment the store opens a clip (its
 * loadSeq changes), before React renders the rest of the clip: the old box leaves and the new
 * one takes the focus while nothing else on the page has changed yet. Done in React's commit
 * instead, the focus change laid out the whole half-updated screen, and then again at the
 * focus, before the frame laid it out a third time. React renders the highlight layer the box
 * sits in front of; the box goes right before it.
 */
function TranscriptBox() {
  const { t } = useTranslation();
  const { flow } = useReview();
  const store = useAppStoreApi();
  const box = useRef<HTMLTextAreaElement | null>(null);
  const layer = useRef<HTMLDivElement>(null);
  const label = t('review.transcript');
  const labelNow = useRef(label);

  useLayoutEffect(() => {
    labelNow.current = label;
    box.current?.setAttribute('aria-label', label);
  }, [label]);

  useLayoutEffect(() => {
    const behind = layer.current;
    if (!behind) {
      return undefined;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The box grows with its text (CSS caps it, then it scrolls). Sized once the opened clip is
    // painted and in typing pauses only: measuring on every keystroke, or while the clip opens,
    // would add a forced layout to each.
    const fit = (opening: boolean): void => {
      const el = box.current;
      if (!live || !el) {
        return;
      }
      // A box never sized whose text fits it needs nothing. Read right after a paint, these
      // sizes cost no layout; only the writes below would.
      if (el.style.height === '' && el.scrollHeight <= el.clientHeight) {
        return;
      }
      // A long text opens scrolled to its end, where the caret is.
      const atEnd = opening || el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      el.style.height = 'auto';
      el.style.height = `${el.scrollHeight + el.offsetHeight - el.clientHeight}px`;
      if (atEnd) {
        el.scrollTop = el.scrollHeight;
      }
    };
    const open = (): void => {
      const review = store.getState().review;
      const old = box.current;
      const el = createBox(labelNow.current, review.body.transcript, (text) => flow.editor.edit(text));
      behind.before(el);
      box.current = el;
      // A dialog already over the screen (a break suggested as the clip changed) keeps the focus;
      // it hands the focus here when it closes. Focused before the old box leaves, so that box
      // is left unfocused and its removal sets off nothing.
      if (review.panel === null) {
        el.focus();
      }
      old?.remove();
      afterNextPaint(() => fit(true));
    };
    open();
    // Subscribed before the highlights, so they draw a new clip's tags behind its new box.
    const stop = store.subscribe((s, prev) => {
      if (s.review.loadSeq !== prev.review.loadSeq) {
        clearTimeout(timer);
        open();
      } else if (s.review.body.transcript !== prev.review.body.transcript) {
        clearTimeout(timer);
        timer = setTimeout(() => fit(false), FIT_SETTLE_MS);
      }
    });
    const unfollow = followHighlights(behind, store, () => box.current);
    return () => {
      live = false;
      stop();
      clearTimeout(timer);
      unfollow();
      box.current?.remove();
      box.current = null;
    };
  }, [store, flow]);

  // The tag hotkeys tag what is selected here.
  useLayoutEffect(
    () =>
      flow.tags.bindSelection(() => {
        const el = box.current;
        return el ? { start: el.selectionStart, end: el.selectionEnd } : null;
      }),
    [flow],
  );
  // Tags are inserted at the caret through the box itself, so they land on its undo history.
  useLayoutEffect(() => flow.insertion.bindTranscript(textareaPort(() => box.current)), [flow]);

  return <TranscriptHighlights layer={layer} />;
}

/**
 * All three messages stay in the page and only their `hidden` flags change: adding or removing
 * text nodes while the reviewer types makes Chromium cut its undo history into smaller steps
 * (Ctrl+Z would then undo "ase" of "please"), and a keystroke is what turns "Saved" off.
 */
function SaveStatus() {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.review.saveStatus);
  return (
    <span className="save-status" role="status" data-testid="save-status" data-status={status}>
      {(['saving', 'saved', 'error'] as const).map((k) => (
        <span key={k} hidden={status !== k}>
          {t(`review.save.${k}`)}
        </span>
      ))}
    </span>
  );
}

export function TranscriptEditor() {
  return (
    <div className="editor">
      <TranscriptBox />
      <SaveStatus />
      <InsertTagMenu />
    </div>
  );
}
