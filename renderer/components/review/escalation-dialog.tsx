import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../i18n/error-text';
import { escalationCategories, type EscalationCategory } from '../../../shared/domain/annotation';
import type { AppError } from '../../../shared/result';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';
import { ModalDialog } from './modal-dialog';

/**
 * Escalates the open clip to a supervisor: a category, a note, Save (Ctrl+Enter) or Cancel (Esc).
 * The audio was stopped before this opened. A failed save keeps the dialog and the note; a saved
 * one offers a break. Nothing here copies, shares or exports the clip.
 */
export function EscalationDialog() {
  const { t } = useTranslation();
  const say = useErrorText();
  const { flow } = useReview();
  const panel = useAppStore((s) => s.review.panel);
  const [category, setCategory] = useState<EscalationCategory | null>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);

  if (panel !== 'escalation' && panel !== 'escalated') {
    return null;
  }
  const reset = (): void => {
    setCategory(null);
    setNote('');
    setMissing(false);
    setError(null);
  };
  const close = (): void => {
    reset();
    flow.panels.closePanel();
  };

  if (panel === 'escalated') {
    const takeBreak = (): void => {
      reset();
      flow.breaks.take();
    };
    return (
      <ModalDialog key="saved" labelledBy="escalation-title" className="escalation" onCancel={close}>
        <h2 id="escalation-title">{t('escalation.title')}</h2>
        <p role="status" data-testid="escalation-saved">
          {t('escalation.saved')}
        </p>
        <div className="dialog-actions">
          <button type="button" data-autofocus onClick={takeBreak}>
            {t('escalation.takeBreak')}
          </button>
          <button type="button" onClick={close}>
            {t('escalation.backToClip')}
          </button>
        </div>
      </ModalDialog>
    );
  }

  const save = (): void => {
    if (saving) {
      return;
    }
    if (!category) {
      setMissing(true);
      return;
    }
    setSaving(true);
    setError(null);
    void flow.panels.saveEscalation(category, note).then((result) => {
      setSaving(false);
      if (result.ok) {
        reset();
      } else {
        setError(result.error);
      }
    });
  };

  return (
    <ModalDialog key="form" labelledBy="escalation-title" className="escalation" onCancel={close} onSave={save}>
      <h2 id="escalation-title">{t('escalation.title')}</h2>
      <p>{t('escalation.intro')}</p>
      <fieldset role="radiogroup" aria-required="true" aria-invalid={missing && !category}>
        <legend>{t('escalation.category')}</legend>
        {escalationCategories.map((c) => (
          <label key={c}>
            <input
              type="radio"
              name="escalation-category"
              value={c}
              checked={category === c}
              onChange={() => {
                setCategory(c);
                setMissing(false);
              }}
            />{' '}
            {t(`escalation.categories.${c}`)}
          </label>
        ))}
      </fieldset>
      <label className="escalation-note">
        {t('escalation.note')}
        <textarea
          value={note}
          rows={4}
          maxLength={4000}
          spellCheck={false}
          dir="auto"
          onChange={(e) => setNote(e.currentTarget.value)}
        />
      </label>
      {missing && !category && <p role="alert">{t('escalation.chooseCategory')}</p>}
      {error && <p role="alert">{t('escalation.failed', { message: say(error) })}</p>}
      <div className="dialog-actions">
        <button type="button" aria-disabled={saving} aria-keyshortcuts="Control+Enter" onClick={save}>
          {saving ? t('escalation.saving') : t('escalation.save')}
        </button>
        <button type="button" aria-keyshortcuts="Escape" onClick={close}>
          {t('escalation.cancel')}
        </button>
      </div>
    </ModalDialog>
  );
}
