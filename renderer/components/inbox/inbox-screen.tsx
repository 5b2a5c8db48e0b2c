import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { InboxEscalation } from '../../../shared/domain/inbox';
import { escalationStatuses } from '../../../shared/domain/inbox-limits';
import { useErrorText } from '../../i18n/error-text';
import { ageAt } from '../../inbox/escalation-age';
import { useNow } from '../../inbox/use-now';
import { formatters } from '../../reports/format';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';
import { InboxRow } from './inbox-row';

type Props = {
  /**
   * A further action per escalation (hearing its clip on this device), rendered with the answers
   * of its row; none by default.
   */
  readonly clipAction?: (escalation: InboxEscalation) => ReactNode;
};

/**
 * The supervisor's escalation inbox: escalations of their teams' reviewers by status, oldest
 * first, with their age (urgent past the operator's time), the reviewer's note and the answers.
 * Offline, it shows what was fetched last and answers wait to be sent. Back (Alt+←) leaves it.
 */
export function InboxScreen({ clipAction }: Props) {
  const { t, i18n } = useTranslation();
  const say = useErrorText();
  const f = formatters(t, i18n.language);
  const back = useReview().keys('app.back');
  const now = useNow();
  const s = useAppStore(
    useShallow((st) => ({
      status: st.inbox.status,
      view: st.inbox.view,
      loading: st.inbox.loading,
      answering: st.inbox.answering,
      error: st.inbox.error,
      hide: st.inbox.hide,
      setStatus: st.inbox.setStatus,
      refresh: st.inbox.refresh,
      respond: st.inbox.respond,
      dismiss: st.inbox.dismiss,
    })),
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const view = s.view;

  return (
    <section className="inbox" aria-labelledby="inbox-heading" data-testid="inbox-screen">
      <div className="inbox-top">
        <h2 id="inbox-heading" ref={heading} tabIndex={-1}>
          {t('inbox.heading')}
        </h2>
        <button type="button" onClick={() => void s.refresh()} disabled={s.loading}>
          {t('inbox.refresh')}
        </button>
        <button type="button" onClick={s.hide} aria-keyshortcuts={back}>
          {t('reports.back')} <kbd aria-hidden="true">{back}</kbd>
        </button>
      </div>
      <div className="inbox-tabs" role="group" aria-label={t('inbox.statusLabel')}>
        {escalationStatuses.map((status) => (
          <button
            key={status}
            type="button"
            aria-pressed={s.status === status}
            onClick={() => void s.setStatus(status)}
          >
            {t(`inbox.statuses.${status}`)}
          </button>
        ))}
      </div>
      {view && !view.online && (
        <p className="offline" role="status">
          {view.fetchedAt === null ? t('inbox.offlineNever') : t('inbox.offline', { time: f.time(view.fetchedAt) })}
        </p>
      )}
      {s.error && <p role="alert">{t('inbox.failed', { message: say(s.error) })}</p>}
      {s.loading && !view && <p>{t('app.loading')}</p>}
      {view && view.escalations.length === 0 && <p className="empty">{t(`inbox.empty.${view.status}`)}</p>}
      {view && view.escalations.length > 0 && (
        <ol className="escalations" aria-label={t(`inbox.statuses.${view.status}`)}>
          {view.escalations.map((e) => (
            <InboxRow
              key={e.opId}
              escalation={e}
              age={ageAt(e, view.fetchedAt ?? now, view.urgentAfterMs, now)}
              targets={view.referralTargets}
              queued={view.queued.filter((q) => q.opId === e.opId)}
              busy={s.answering === e.opId}
              onRespond={(answer) => s.respond(e.opId, answer)}
              onDismiss={(id) => void s.dismiss(id)}
              clipAction={clipAction?.(e)}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
