import { useTranslation } from 'react-i18next';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';

/**
 * Submit, and why it may be refused: the clip must have been heard in full first (the same
 * check runs for the hotkey, in the review flow, so no key can get round it).
 */
export function SubmitBar() {
  const { t } = useTranslation();
  const { flow, keys } = useReview();
  const heard = useAppStore((s) => s.review.heardInFull);
  const gate = useAppStore((s) => s.settings.values.heardInFullGate);
  const notice = useAppStore((s) => s.review.notice);
  const submitting = useAppStore((s) => s.review.submitting);
  const revision = useAppStore((s) => s.review.basedOnRevision);
  const shortcut = keys('review.submit');

  return (
    <div className="submit-bar">
      {gate && (
        <span className="heard" data-testid="heard" data-heard={heard}>
          {heard ? t('review.heard.yes') : t('review.heard.no')}
        </span>
      )}
      {revision > 0 && <span className="amending">{t('review.amending', { revision, next: revision + 1 })}</span>}
      <button
        type="button"
        className="submit"
        aria-keyshortcuts={shortcut}
        aria-disabled={submitting || (gate && !heard)}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => void flow.clips.submitAndNext()}
      >
        {t('review.submit')} <kbd aria-hidden="true">{shortcut}</kbd>
      </button>
      {notice && (
        <p
          className="notice"
          role={notice === 'batchDone' ? 'status' : 'alert'}
          data-testid="notice"
          data-notice={notice}
        >
          {t(`review.notice.${notice}`, { keys: keys('app.back') })}
        </p>
      )}
    </div>
  );
}
