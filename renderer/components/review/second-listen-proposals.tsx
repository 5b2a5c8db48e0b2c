import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OwnListenRequest } from '../../../shared/domain/hearing';
import { useErrorText } from '../../i18n/error-text';
import type { AppError } from '../../../shared/result';
import { useReview } from '../../review/review-context';
import { proposalsFor } from '../../review/second-listen';
import { useAppStore } from '../../store/store-context';

const NONE: readonly OwnListenRequest[] = [];

/**
 * What teammates proposed for spans of the open clip, beside the transcript: the reviewer's own
 * words of the span, the proposal, and Accept (it replaces the span; Ctrl+Z takes it back) or
 * Ignore. Shown only while a proposal waits.
 *
 * The list is main's, refreshed by its sync cycle: it is read once when the screen opens and
 * again when main says it changed, so switching clips only filters what is already here.
 */
export function SecondListenProposals() {
  const { t } = useTranslation();
  const say = useErrorText();
  const { flow } = useReview();
  const batchId = useAppStore((s) => s.review.batchId);
  const clipId = useAppStore((s) => s.review.clip?.id ?? null);
  const [own, setOwn] = useState<readonly OwnListenRequest[]>(NONE);
  // What was last read, so an empty answer after an empty one schedules no render at all.
  const last = useRef(own);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      flow.secondListen.own().then((answer) => {
        if (live && answer.ok && !(last.current.length === 0 && answer.value.length === 0)) {
          last.current = answer.value;
          setOwn(answer.value);
        }
      });
    void load();
    const stop = flow.secondListen.onChanged(() => void load());
    return () => {
      live = false;
      stop();
    };
  }, [flow]);

  const items = useMemo(
    () => (batchId !== null && clipId !== null ? proposalsFor(own, { batchId, clipId }) : NONE),
    [own, batchId, clipId],
  );

  const settle = async (r: OwnListenRequest, accept: boolean) => {
    const answer = accept ? await flow.secondListen.accept(r) : await flow.secondListen.ignore(r);
    setError(answer.ok ? null : answer.error);
    // Main marks the request decided at once (and says so); reading it here saves waiting for that.
    const fresh = await flow.secondListen.own();
    if (fresh.ok) {
      last.current = fresh.value;
      setOwn(fresh.value);
    }
  };

  if (items.length === 0) {
    return null;
  }
  return (
    <section className="second-listen" aria-labelledby="second-listen-heading" data-testid="second-listen">
      <h3 id="second-listen-heading">{t('secondListen.heading')}</h3>
      <ul>
        {items.map((r) => (
          <li key={r.requestId} data-testid="second-listen-proposal">
            <p>
              {t('secondListen.yourWords')}{' '}
              <q dir="auto">
                <SpanWords start={r.span.start} end={r.span.end} />
              </q>
            </p>
            <p>
              {t('secondListen.proposes', { helper: r.helper ?? '' })}{' '}
              <q dir="auto" className="second-listen-text">
                <bdi>{r.proposal}</bdi>
              </q>
            </p>
            <div className="second-listen-actions">
              <button type="button" onClick={() => void settle(r, true)}>
                {t('secondListen.accept')}
              </button>
              <button type="button" onClick={() => void settle(r, false)}>
                {t('secondListen.ignore')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {error && <p role="alert">{say(error)}</p>}
    </section>
  );
}

/**
 * The reviewer's own words of a span. Only this reads the transcript, so a keystroke re-renders
 * it alone, and nothing at all while no proposal waits.
 */
function SpanWords({ start, end }: { readonly start: number; readonly end: number }) {
  const words = useAppStore((s) => s.review.body.transcript.slice(start, end));
  return <bdi>{words}</bdi>;
}
