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
  const percent = numberFormat(i18n.language, { maximumFractionDigits: 1 });

  return (
    <section className="diff" aria-label={t('review.diff')}>
      <p className="diff-words" dir="auto" data-testid="diff">
        {diff.pairs.map((pair, i) => (
          <span key={i}>
            {i > 0 && ' '}
            <Word pair={pair} />
          </span>
        ))}
      </p>
      <p className="wer" data-testid="wer">
        {diff.wer === null
          ? t('review.werUndefined')
          : t('review.wer', { wer: percent.format(diff.wer * 100), errors: diff.errors, words: diff.refWords })}
      </p>
    </section>
  );
}
