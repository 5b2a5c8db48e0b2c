import { useTranslation } from 'react-i18next';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';
import { ModalDialog } from './modal-dialog';

/**
 * Offers a micro-break that is due (after continuous work or escalations), between clips. The
 * audio was stopped before it opened. "Not now" is there only when breaks may be skipped.
 */
export function BreakSuggestion() {
  const { t } = useTranslation();
  const { flow } = useReview();
  const shown = useAppStore((s) => s.review.panel === 'breakSuggested');
  const panel = useAppStore((s) => s.timing.panel);
  if (!shown) {
    return null;
  }
  const skippable = panel?.breaksSkippable ?? true;
  const reason = panel?.breakDue ?? 'continuous_work';
  return (
    <ModalDialog
      labelledBy="break-suggestion-title"
      className="break-suggestion"
      onCancel={() => (skippable ? flow.panels.closePanel() : undefined)}
      onSave={() => flow.breaks.take()}
    >
      <h2 id="break-suggestion-title">{t('breakSuggestion.title')}</h2>
      <p>{t(`breakSuggestion.reason.${reason}`, { minutes: panel?.breakMinutes ?? 5 })}</p>
      <div className="dialog-actions">
        <button type="button" data-autofocus aria-keyshortcuts="Control+Enter" onClick={() => flow.breaks.take()}>
          {t('breakSuggestion.take')}
        </button>
        {skippable && (
          <button type="button" aria-keyshortcuts="Escape" onClick={() => flow.panels.closePanel()}>
            {t('breakSuggestion.notNow')}
          </button>
        )}
      </div>
    </ModalDialog>
  );
}
