import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/store-context';

/** Tells a reviewer, after they sign in, that their escalations were answered since they last looked. */
export function EscalationNotice() {
  const { t } = useTranslation();
  const reviewer = useAppStore(
    (s) => s.session.info?.mode === 'service' && s.session.info.identity.role === 'reviewer',
  );
  const unseen = useAppStore((s) => s.inbox.badge.unseen);
  const hidden = useAppStore((s) => s.inbox.noticeDismissed || s.inbox.screen !== null || s.review.batchId !== null);
  const show = useAppStore((s) => s.inbox.show);
  const dismiss = useAppStore((s) => s.inbox.dismissNotice);
  if (!reviewer || unseen === 0 || hidden) {
    return null;
  }
  return (
    <p className="app-notice" role="status" data-testid="escalation-notice">
      {t('inbox.notice', { count: unseen })}{' '}
      <button type="button" onClick={() => void show('mine')}>
        {t('inbox.noticeOpen')}
      </button>{' '}
      <button type="button" onClick={dismiss}>
        {t('frame.dismiss')}
      </button>
    </p>
  );
}
