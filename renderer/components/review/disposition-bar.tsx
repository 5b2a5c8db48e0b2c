import { useTranslation } from 'react-i18next';
import { dispositions } from '../../../shared/domain/annotation';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';

/** One button per disposition; the chosen one is pressed. Alt+1…6 choose from the keyboard. */
export function DispositionBar() {
  const { t } = useTranslation();
  const { flow, keys } = useReview();
  const chosen = useAppStore((s) => s.review.disposition);
  return (
    <div className="dispositions" role="group" aria-label={t('review.dispositions')}>
      {dispositions.map((d) => {
        const shortcut = keys(`review.disposition.${d}`);
        return (
          <button
            key={d}
            type="button"
            aria-pressed={chosen === d}
            aria-keyshortcuts={shortcut}
            data-disposition={d}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => flow.editor.setDisposition(d)}
          >
            {t(`dispositions.${d}`)} <kbd aria-hidden="true">{shortcut}</kbd>
          </button>
        );
      })}
    </div>
  );
}
