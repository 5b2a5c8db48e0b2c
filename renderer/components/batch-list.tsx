import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../i18n/error-text';
import { useAppStore } from '../store/store-context';
import { dateTimeFormat } from '../i18n/intl';
import { ImportProgressList } from './import-progress';
import { WithheldNote } from './withheld-note';

type Props = {
  /** Opens a batch for review (Enter on a focused batch, or a click). */
  readonly onOpen?: (batchId: string) => void;
  /** The keys that open the workstation's key, for the button's hint. */
  readonly deviceKeyKeys?: string;
};

export function BatchList({ onOpen, deviceKeyKeys }: Props) {
  const { t, i18n } = useTranslation();
  const say = useErrorText();
  const items = useAppStore((s) => s.batches.items);
  const loaded = useAppStore((s) => s.batches.loaded);
  const error = useAppStore((s) => s.batches.error);
  const last = useAppStore((s) => s.review.lastBatchId);
  const importFolder = useAppStore((s) => s.sync.importFolder);
  const importPackage = useAppStore((s) => s.sync.importPackage);
  const openDeviceKey = useAppStore((s) => s.ui.openDeviceKey);
  // A panel over the list holds the focus; when it closes with nothing to return to, the list
  // takes the focus back.
  const covered = useAppStore((s) => s.ui.settingsOpen || s.ui.helpOpen || s.ui.deviceKeyOpen);
  const list = useRef<HTMLUListElement>(null);
  const date = dateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  // Keyboard first: with nothing else focused, the batch opened last (else the first one that
  // can be opened) takes the focus, so Enter opens it.
  useEffect(() => {
    const active = document.activeElement;
    if (covered || (active && active !== document.body)) {
      return;
    }
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>('button.batch-open:not(:disabled)') ?? [])];
    (buttons.find((b) => b.dataset['batchId'] === last) ?? buttons[0])?.focus();
  }, [items, last, covered]);

  return (
    <section className="batches" aria-labelledby="batches-heading">
      <div className="batches-head">
        <h2 id="batches-heading">{t('batches.heading')}</h2>
        {/* In every mode: a package carried by hand is how a batch arrives without a service. */}
        <button type="button" onClick={() => void importPackage()}>
          {t('imports.importButton')}
        </button>
        <button type="button" onClick={() => void importFolder()}>
          {t('imports.importFolderButton')}
        </button>
        <button type="button" aria-keyshortcuts={deviceKeyKeys || undefined} onClick={openDeviceKey}>
          {t('device.button')}
          {deviceKeyKeys && (
            <>
              {' '}
              <kbd aria-hidden="true">{deviceKeyKeys}</kbd>
            </>
          )}
        </button>
      </div>
      <ImportProgressList />
      {error && <p role="alert">{t('errors.loadFailed', { message: say(error) })}</p>}
      {!loaded && <p aria-busy="true">{t('app.loading')}</p>}
      {loaded && items.length === 0 && !error && <p className="empty">{t('batches.empty')}</p>}
      {items.length > 0 && (
        <div className="batch-table-head" aria-hidden="true">
          <span>{t('batches.columns.name')}</span>
          <span>{t('batches.columns.progress')}</span>
          <span>{t('batches.columns.language')}</span>
          <span>{t('batches.columns.expiry')}</span>
          <span>{t('batches.columns.status')}</span>
        </div>
      )}
      {items.length > 0 && (
        <ul ref={list} aria-labelledby="batches-heading" className="batch-table">
          {items.map((b) => (
            <li key={b.id} className="batch" data-status={b.status}>
              <button
                type="button"
                className="batch-open"
                data-batch-id={b.id}
                disabled={b.status !== 'active'}
                onClick={() => onOpen?.(b.id)}
              >
                <bdi className="batch-id">{b.id}</bdi>
                <span className="batch-progress">
                  <progress className="meter" aria-hidden="true" value={b.doneCount} max={Math.max(b.clipCount, 1)} />
                  <span>{t('batches.clips', { done: b.doneCount, count: b.clipCount })}</span>
                  <WithheldNote withheld={b.withheld} />
                </span>
                {/* The header is for the eye; the button's own name keeps each value's label. */}
                <span>
                  <span className="visually-hidden">{t('batches.columns.language')}: </span>
                  <bdi>{b.locale}</bdi>
                </span>
                <span>
                  <span className="visually-hidden">{t('batches.columns.expiry')} </span>
                  {date.format(b.expiresAt)}
                </span>
                <span className="status">{t(`batches.status.${b.status}`)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
