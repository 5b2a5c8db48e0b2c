import { useTranslation } from 'react-i18next';
import { useReview } from '../../review/review-context';
import { formatters } from '../../reports/format';
import { useAppStore } from '../../store/store-context';
import { WithheldNote } from '../withheld-note';
import { ModalDialog } from './modal-dialog';

/**
 * The end of a batch: what was done, what still waits to reach the service, how to amend the
 * last clips, and the next batch one key away (Enter). Esc stays on the batch to amend.
 */
export function BatchDoneDialog() {
  // Only this is watched until the batch ends: the summary's figures change all shift long.
  const shown = useAppStore((s) => s.review.panel === 'batchDone' && s.review.batchId !== null);
  return shown ? <BatchDoneSummary /> : null;
}

function BatchDoneSummary() {
  const { t, i18n } = useTranslation();
  const f = formatters(t, i18n.language);
  const { flow, keys } = useReview();
  const batch = useAppStore((s) => s.batches.items.find((b) => b.id === s.review.batchId));
  const done = useAppStore((s) => s.review.submitted.length);
  const median = useAppStore((s) => s.timing.panel?.medianHandleMs ?? null);
  const sync = useAppStore((s) => s.sync.status);
  const next = useAppStore((s) =>
    s.batches.items.find(
      (b) =>
        b.id !== s.review.batchId &&
        b.status === 'active' &&
        b.doneCount < b.clipCount - b.withheld.consentWithdrawn - b.withheld.quarantined,
    ),
  );
  const openNext = (): void => {
    if (next) {
      void flow.clips.openBatch(next.id);
    }
  };
  return (
    <ModalDialog labelledBy="batch-done-title" className="batch-done" onCancel={() => flow.panels.closePanel()}>
      <h2 id="batch-done-title">{t('batchDone.title')}</h2>
      <dl className="batch-done-facts" data-testid="batch-done">
        <div>
          <dt>{t('batchDone.clips')}</dt>
          <dd>
            {t('batches.clips', { done, count: batch?.clipCount ?? done })} <WithheldNote withheld={batch?.withheld} />
          </dd>
        </div>
        <div>
          <dt>{t('pace.medianHandle')}</dt>
          <dd>{f.seconds(median)}</dd>
        </div>
        <div>
          <dt>{t('batchDone.sync')}</dt>
          <dd>{sync?.configured ? t('batchDone.pending', { count: sync.pending }) : t('batchDone.local')}</dd>
        </div>
      </dl>
      <p>{t('batchDone.amend', { keys: keys('review.previous') })}</p>
      <div className="dialog-actions">
        {next && (
          <button type="button" data-autofocus onClick={openNext}>
            {t('batchDone.next', { batch: next.id })}
          </button>
        )}
        <button
          type="button"
          aria-keyshortcuts={keys('app.back')}
          {...(next ? {} : { 'data-autofocus': true })}
          onClick={() => flow.clips.close()}
        >
          {t('review.back')} <kbd aria-hidden="true">{keys('app.back')}</kbd>
        </button>
        <button type="button" aria-keyshortcuts="Escape" onClick={() => flow.panels.closePanel()}>
          {t('batchDone.stay')} <kbd aria-hidden="true">Esc</kbd>
        </button>
      </div>
    </ModalDialog>
  );
}
