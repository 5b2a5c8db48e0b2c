import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/store-context';

/**
 * The top bar's way into the inbox: for a supervisor, the open escalations with their count (and
 * how many are urgent); for a reviewer, their own escalations with the count of new answers.
 */
export function InboxButton() {
  const { t } = useTranslation();
  const role = useAppStore((s) => (s.session.info?.mode === 'service' ? s.session.info.identity.role : null));
  const busy = useAppStore(
    (s) => s.review.batchId !== null || s.reports.open || s.inbox.screen !== null || s.lock.state?.locked === true,
  );
  const badge = useAppStore((s) => s.inbox.badge);
  const show = useAppStore((s) => s.inbox.show);
  if (role === null || busy) {
    return null;
  }
  const supervisor = role === 'supervisor';
  const count = supervisor ? badge.open : badge.unseen;
  // The count is read out in words after the visible name, so the accessible name starts with what is seen.
  const said = supervisor
    ? t('inbox.buttonCounts', { count: badge.open, urgent: badge.urgent })
    : t('inbox.mineButtonCounts', { count: badge.unseen });
  return (
    <button
      type="button"
      className="inbox-button"
      data-testid="inbox-button"
      onClick={() => void show(supervisor ? 'inbox' : 'mine')}
    >
      {supervisor ? t('inbox.open') : t('inbox.mine')}
      {count > 0 && (
        <span className={supervisor && badge.urgent > 0 ? 'count urgent' : 'count'} aria-hidden="true">
          {count}
        </span>
      )}
      <span className="visually-hidden">{said}</span>
    </button>
  );
}
