import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/store-context';

/**
 * The top bar's way into the inbox: for a supervisor, the open escalations with their count (and
 * how many are urgent); for a reviewer, their own escalations with the count of new answers.
 */
export function InboxButton() {
  const { t } = useTranslation();
  const role = useAppStore((s) => (s.session.info?.mode === 'service' ? s.session.info.identity.role : null));
  const busy = useAppStore((s) => s.review.batchId !== null || s.reports.open || s.inbox.screen !== null);
  const badge = useAppStore((s) => s.inbox.badge);
  const show = useAppStore((s) => s.inbox.show);
  if (role === null || busy) {
    return null;
  }
  const supervisor = role === 'supervisor';
  const count = supervisor ? badge.open : badge.unseen;
  const label = supervisor
    ? t('inbox.button', { count: badge.open, urgent: badge.urgent })
    : t('inbox.mineButton', { count: badge.unseen });
  return (
    <button
      type="button"
      className="inbox-button"
      data-testid="inbox-button"
      aria-label={label}
      onClick={() => void show(supervisor ? 'inbox' : 'mine')}
    >
      {supervisor ? t('inbox.open') : t('inbox.mine')}
      {count > 0 && (
        <span className={supervisor && badge.urgent > 0 ? 'count urgent' : 'count'} aria-hidden="true">
          {count}
        </span>
      )}
    </button>
  );
}
