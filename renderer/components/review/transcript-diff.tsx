import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { diffWords, type AlignedPair } from '../../review/word-diff';
import { useAppStore, useAppStoreApi } from '../../store/store-context';
import { numberFormat } from '../../i18n/intl';

function Word({ pair }: { readonly pair: AlignedPair }) {
  switch (pair.op) {
    case 'correct':
      return <span className="w-ok">{pair.ref}</span>;
    case 'substitution':
      return (
        <span className="w-sub">
          <del>{pair.hyp}</del>
          <ins>{pair.ref}</ins>
        </span>
      );
    case 'deletion':
      return <ins className="w-del">{pair.ref}</ins>;
    case 'insertion':
      return <del className="w-ins">{pair.hyp}</del>;
  }
}

/** A run of matching words longer than this shows only its ends: a long transcript is not printed twice. */
const KEEP_RUN = 8;
/** Words kept on each side of a change when a run is shortened. */
const CONTEXT = 3;

type Shown = { readonly pair: AlignedPair; readonly index: number } | { readonly gap: number; readonly index: number };

/**
 * The pairs to print: every change, with up to CONTEXT matching words on each side of it; longer
 * runs of matching words are cut to an ellipsis that says how many words it stands for.
 */
export function compactPairs(pairs: readonly AlignedPair[]): Shown[] {
  const shown: Shown[] = [];
  let i = 0;
  while (i < pairs.length) {
    if (pairs[i]?.op !== 'correct') {
      shown.push({ pair: pairs[i] as AlignedPair, index: i });
      i += 1;
      continue;
    }
    let end = i;
    while (end < pairs.length && pairs[end]?.op === 'correct') {
      end += 1;
    }
    const run = end - i;
    const keepHead = i === 0 ? 0 : CONTEXT;
    const keepTail = end === pairs.length ? 0 : CONTEXT;
    if (run <= KEEP_RUN || run <= keepHead + keepTail + 1) {
      for (let k = i; k < end; k += 1) {
        shown.push({ pair: pairs[k] as AlignedPair, index: k });
      }
    } else {
      for (let k = i; k < i + keepHead; k += 1) {
        shown.push({ pair: pairs[k] as AlignedPair, index: k });
      }
      shown.push({ gap: run - keepHead - keepTail, index: i + keepHead });
      for (let k = end - keepTail; k < end; k += 1) {
        shown.push({ pair: pairs[k] as AlignedPair, index: k });
      }
    }
    i = end;
  }
  return shown;
}

const OPEN_KEY = 'earmark.diffOpen';

/** Whether the diff is expanded, remembered on this workstation across clips and restarts. */
function useRememberedOpen(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(() => {
    try {
      return window.localStorage.getItem(OPEN_KEY) !== 'false';
    } catch {
      return true;
    }
  });
  const remember = (next: boolean): void => {
    setOpen(next);
    try {
      window.localStorage.setItem(OPEN_KEY, String(next));
    } catch {
      // Storage refused (a locked-down profile): the choice holds for this session only.
    }
  };
  return [open, remember];
}

/** How long typing must pause before the diff follows it. */
export const DIFF_SETTLE_MS = 150;

/**
 * The transcript, once it has stopped changing for `ms`. The diff redraws in typing pauses only:
 * it does not add or remove elements right after a keystroke, which makes Chromium split the
 * transcript box's undo history into small steps. The store is watched outside React, so a
 * keystroke does not even re-render this component.
 */
function useSettledTranscript(ms: number): string {
  const store = useAppStoreApi();
  const [settled, setSettled] = useState(() => store.getState().review.body.transcript);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = store.subscribe((s, prev) => {
      if (s.review.loadSeq !== prev.review.loadSeq) {
        // Another clip (or saved work) opened: its diff shows at once.
        clearTimeout(timer);
        setSettled(s.review.body.transcript);
      } else if (s.review.body.transcript !== prev.review.body.transcript) {
        clearTimeout(timer);
        timer = setTimeout(() => setSettled(store.getState().review.body.transcript), ms);
      }
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [store, ms]);
  return settled;
}

/**
 * The recognizer's words against the reviewer's transcript, with the clip's word error rate.
 * Everything is rendered as text; the hypothesis is untrusted.
 */
export function TranscriptDiff() {
  const { t, i18n } = useTranslation();
  const hypothesis = useAppStore((s) => s.review.clip?.asrText ?? '');
  const settled = useSettledTranscript(DIFF_SETTLE_MS);
  const diff = useMemo(() => diffWords(settled, hypothesis), [settled, hypothesis]);
  const shown = useMemo(() => compactPairs(diff.pairs), [diff]);
  const percent = numberFormat(i18n.language, { maximumFractionDigits: 1 });
  const [open, setOpen] = useRememberedOpen();

  return (
    <section className="diff" aria-label={t('review.diff')}>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          {t('review.diff')}{' '}
          <span className="wer" data-testid="wer">
            {diff.wer === null
              ? t('review.werUndefined')
              : t('review.wer', { wer: percent.format(diff.wer * 100), errors: diff.errors, words: diff.refWords })}
          </span>
        </summary>
        <p className="diff-words" dir="auto" data-testid="diff">
          {shown.map((s, i) => (
            <span key={s.index}>
              {i > 0 && ' '}
              {'pair' in s ? (
                <Word pair={s.pair} />
              ) : (
                <span className="w-gap">{t('review.diffGap', { count: s.gap })}</span>
              )}
            </span>
          ))}
        </p>
      </details>
    </section>
  );
}
