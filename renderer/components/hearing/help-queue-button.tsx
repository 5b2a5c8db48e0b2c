import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/store-context';

/**
 * The top bar's way into the team help queue, for anyone signed in at a service: teammates and
 * supervisors alike may take a second-listen request.
 */
export function HelpQueueButton() {
  const { t } = useTranslation();
  const signedIn = useAppStore((s) => s.session.info?.mode === 'service');
  const busy = useAppStore(
    (s) => s.review.batchId !== null || s.reports.open || s.inbox.screen !== null || s.lock.state?.locked === true,
  );
  const show = useAppStore((s) => s.inbox.show);
  if (!signedIn || busy) {
    return null;
  }
  return (
    <button
      type="button"
      className="help-queue-button"
      data-testid="help-queue-button"
      onClick={() => void show('listen')}
    >
      {t('helpQueue.open')}
    </button>
  );
}
