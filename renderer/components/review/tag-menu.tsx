import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { criticalCategories, type CriticalCategory } from '../../../shared/domain/annotation';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';
import { ModalDialog } from './modal-dialog';

/**
 * The small menu that tags the selected transcript text: a critical-data category, or an entity
 * type (from the `entityTypes` setting) with an optional knowledge-base id. Arrow keys choose,
 * Enter or Ctrl+Enter tags, Esc cancels; the focus then goes back to the transcript box.
 */
export function TagMenu() {
  const { t } = useTranslation();
  const { flow } = useReview();
  const kind = useAppStore((s) =>
    s.review.panel === 'critical' || s.review.panel === 'entity' ? s.review.panel : null,
  );
  const selected = useAppStore((s) =>
    s.review.tagRange ? s.review.body.transcript.slice(s.review.tagRange.start, s.review.tagRange.end) : '',
  );
  const [category, setCategory] = useState<CriticalCategory>(criticalCategories[0]);
  const entityTypes = useAppStore((s) => s.settings.values.entityTypes);
  const [picked, setType] = useState<string>('');
  // The last type chosen stays chosen while the setting still lists it.
  const type = entityTypes.includes(picked) ? picked : (entityTypes[0] ?? '');
  const [kbId, setKbId] = useState('');
  if (!kind) {
    return null;
  }
  const save = (): void => {
    if (kind === 'critical') {
      flow.tags.tagCritical(category);
    } else {
      flow.tags.tagEntity(type, kbId);
      setKbId('');
    }
  };
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    save();
  };
  // Enter on a radio does not submit a form by itself (only text fields do).
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>): void => {
    if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type === 'radio') {
      e.preventDefault();
      save();
    }
  };
  const options = kind === 'critical' ? criticalCategories : entityTypes;
  const chosen = kind === 'critical' ? category : type;

  return (
    <ModalDialog labelledBy="tag-title" className="tag-menu" onCancel={() => flow.panels.closePanel()} onSave={save}>
      <form onSubmit={onSubmit} onKeyDown={onKeyDown}>
        <h2 id="tag-title">
          {kind === 'critical' ? t('review.tagMenu.criticalTitle') : t('review.tagMenu.entityTitle')}
        </h2>
        <p>
          {t('review.tagMenu.selected')}:{' '}
          <bdi className="tag-text" data-testid="tag-selection">
            {selected}
          </bdi>
        </p>
        <fieldset>
          <legend>{kind === 'critical' ? t('review.tagMenu.category') : t('review.tagMenu.type')}</legend>
          {options.map((o) => (
            <label key={o}>
              <input
                type="radio"
                name={`tag-${kind}`}
                value={o}
                checked={chosen === o}
                data-autofocus={chosen === o ? true : undefined}
                onChange={() => (kind === 'critical' ? setCategory(o as CriticalCategory) : setType(o))}
              />{' '}
              {kind === 'critical'
                ? t(`criticalCategories.${o as CriticalCategory}`)
                : t(`entityTypes.${o}` as never, { defaultValue: o })}
            </label>
          ))}
        </fieldset>
        {kind === 'entity' && (
          <label className="kb-id">
            {t('review.tagMenu.kbId')}
            <input
              type="text"
              value={kbId}
              maxLength={128}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => setKbId(e.currentTarget.value)}
            />
          </label>
        )}
        <div className="dialog-actions">
          <button type="submit">{t('review.tagMenu.save')}</button>
          <button type="button" onClick={() => flow.panels.closePanel()}>
            {t('review.tagMenu.cancel')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
