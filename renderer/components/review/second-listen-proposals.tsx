import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OwnListenRequest } from '../../../shared/domain/hearing';
import { useErrorText } from '../../i18n/error-text';
import type { AppError } from '../../../shared/result';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';

/** How often the proposals for the open clip are asked for again while it is open. */
const REFRESH_MS = 20_000;

/**
 * What teammates proposed for spans of the open clip, beside the transcript: the reviewer's own
 * words of the span, the proposal, and Accept (it replaces the span; Ctrl+Z takes it back) or
 * Ignore. Shown only while a proposal waits.
 */
export function SecondListenProposals() {
  const { t } = useTranslation();
  const say = useErrorText();
  const { flow } = useReview();
  const clipId = useAppStore((s) => s.review.clip?.id ?? null);
  // Kept with the clip they were read for, so another clip's proposals never show for a moment.
  const [loaded, setLoaded] = useState<{ clipId: string | null; items: readonly OwnListenRequest[] }>({
    clipId: null,
    items: [],
  });
  const items = loaded.clipId === clipId ? loaded.items : [];
  const [error, setError] = useState<AppError | null>(null);

  // Bumped after a decision, so the list is read again at once.
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    let live = true;
    const load = () =>
      flow.secondListen.proposals().then((answer) => {
        if (live && answer.ok) {
          // Nothing waiting before or now is no change: no re-render on every clip switch.
          setLoaded((prev) =>
            prev.items.length === 0 && answer.value.length === 0 ? prev : { clipId, items: answer.value },
          );
        }
      });
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [flow, clipId, asked]);

  const settle = async (r: OwnListenRequest, accept: boolean) => {
    const answer = accept ? await flow.secondListen.accept(r) : await flow.secondListen.ignore(r);
    setError(answer.ok ? null : answer.error);
    setAsked((n) => n + 1);
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
