import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useErrorText } from '../../i18n/error-text';
import { formatters } from '../../reports/format';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';

/**
 * A reviewer's own escalations: where each stands and the guidance a supervisor gave. Who
 * answered is not shown (the service does not say). Back (Alt+←) leaves it.
 */
export function MyEscalationsScreen() {
  const { t, i18n } = useTranslation();
  const say = useErrorText();
  const f = formatters(t, i18n.language);
  const back = useReview().keys('app.back');
  const s = useAppStore(
    useShallow((st) => ({
      mine: st.inbox.mine,
      loading: st.inbox.loading,
      error: st.inbox.error,
      hide: st.inbox.hide,
      refresh: st.inbox.refresh,
    })),
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  // Newest first: the reviewer looks for what they just escalated.
  const escalations = [...(s.mine?.escalations ?? [])].reverse();

  return (
    <section className="inbox" aria-labelledby="mine-heading" data-testid="my-escalations-screen">
      <div className="inbox-top">
        <h2 id="mine-heading" ref={heading} tabIndex={-1}>
          {t('inbox.mineHeading')}
        </h2>
        <button type="button" onClick={() => void s.refresh()} disabled={s.loading}>
          {t('inbox.refresh')}
        </button>
        <button type="button" onClick={s.hide} aria-keyshortcuts={back}>
          {t('reports.back')} <kbd aria-hidden="true">{back}</kbd>
        </button>
      </div>
      {s.mine && !s.mine.online && (
        <p className="offline" role="status">
          {t('inbox.mineOffline')}
        </p>
      )}
      {s.error && <p role="alert">{t('inbox.failed', { message: say(s.error) })}</p>}
      {s.mine && escalations.length === 0 && <p className="empty">{t('inbox.mineEmpty')}</p>}
      {escalations.length > 0 && (
        <ol className="escalations">
          {escalations.map((e) => (
            <li key={e.opId} className="escalation" aria-labelledby={`mine-${e.opId}`}>
              <div className="escalation-head">
                <h3 id={`mine-${e.opId}`}>{t(`escalation.categories.${e.category}`)}</h3>
                <span className={`state state-${e.status}`}>{t(`inbox.mineStatuses.${e.status}`)}</span>
              </div>
              <dl className="escalation-facts">
                <dt>{t('inbox.clip')}</dt>
                <dd>
                  <bdi>{e.clipId}</bdi>
                </dd>
                <dt>{t('inbox.saved')}</dt>
                <dd>{f.dateTime(e.createdAt)}</dd>
              </dl>
              {e.guidance.length > 0 && (
                <section aria-label={t('inbox.guidance')}>
                  {e.guidance.map((g) => (
                    <blockquote key={`${g.at}-${g.text.length}`} className="note" dir="auto">
                      {g.text}
                    </blockquote>
                  ))}
                </section>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
