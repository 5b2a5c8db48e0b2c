import { useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TRANSCRIPT_CHARS } from '../../../shared/domain/annotation';
import { afterNextPaint } from '../../review/after-paint';
import { useReview } from '../../review/review-context';
import { textareaPort } from '../../review/transcript-port';
import { useAppStore, useAppStoreApi } from '../../store/store-context';
import { InsertTagMenu } from './insert-tag-menu';
import { TranscriptHighlights } from './transcript-highlights';

/** How long typing must pause before the box is resized to its text. */
const FIT_SETTLE_MS = 150;

/**
 * The transcript box is uncontrolled and its text is set once, by hand, when it mounts: React
 * never writes to it while the reviewer types, so the browser's own undo/redo history stays
 * whole. (With a `defaultValue` prop React rewrites the box's default text after every input
 * event, and that DOM change makes Chromium undo one character at a time.) A newly opened clip
 * remounts the box (keyed by the store's loadSeq) with that clip's starting text.
 */
function TranscriptBox() {
  const { t } = useTranslation();
  const { flow } = useReview();
  const store = useAppStoreApi();
  const box = useRef<HTMLTextAreaElement>(null);

  useLayoutEffect(() => {
    const el = box.current;
    if (el) {
      el.value = store.getState().review.body.transcript;
      el.setSelectionRange(el.value.length, el.value.length);
      // A dialog already over the screen (a break suggested as the clip changed) keeps the focus;
      // it hands the focus here when it closes.
      if (store.getState().review.panel === null) {
        el.focus();
      }
    }
  }, [store]);

  // The box grows with its text (CSS caps it, then it scrolls). Sized once the opened clip is
  // painted and in typing pauses only: measuring on every keystroke, or while the clip opens,
  // would add a forced layout to each.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
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
    afterNextPaint(() => fit(true));
    const stop = store.subscribe((s, prev) => {
      if (s.review.body.transcript !== prev.review.body.transcript) {
        clearTimeout(timer);
        timer = setTimeout(() => fit(false), FIT_SETTLE_MS);
      }
    });
    return () => {
      live = false;
      stop();
      clearTimeout(timer);
    };
  }, [store]);

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

  return (
    <>
      <textarea
        ref={box}
        id="transcript"
        className="transcript"
        aria-label={t('review.transcript')}
        dir="auto"
        // Main refuses longer drafts; without a cap a pasted megabyte also stalls the live diff.
        maxLength={MAX_TRANSCRIPT_CHARS}
        // No OS spell checker or autocorrect: transcripts stay inside the app.
        spellCheck={false}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        onChange={(e) => flow.editor.edit(e.currentTarget.value)}
      />
      {/* After the box: its ref is set by the time this layer's layout effect reads it. */}
      <TranscriptHighlights box={box} />
    </>
  );
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
  const loadSeq = useAppStore((s) => s.review.loadSeq);
  return (
    <div className="editor">
      <TranscriptBox key={loadSeq} />
      <SaveStatus />
      <InsertTagMenu />
    </div>
  );
}
