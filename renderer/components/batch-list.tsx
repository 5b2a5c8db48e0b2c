import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';

export function BatchList() {
  const { t, i18n } = useTranslation();
  const items = useAppStore((s) => s.batches.items);
  const loaded = useAppStore((s) => s.batches.loaded);
  const error = useAppStore((s) => s.batches.error);
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <section className="batches" aria-labelledby="batches-heading">
      <h2 id="batches-heading">{t('batches.heading')}</h2>
      {error && <p role="alert">{t('errors.loadFailed', { message: error.message })}</p>}
      {!loaded && <p aria-busy="true">{t('app.loading')}</p>}
      {loaded && items.length === 0 && !error && <p className="empty">{t('batches.empty')}</p>}
      {items.length > 0 && (
        <ul aria-labelledby="batches-heading">
          {items.map((b) => (
            <li key={b.id} className="batch" data-status={b.status}>
              <bdi className="batch-id">{b.id}</bdi>
              <span>{t('batches.clips', { done: b.doneCount, count: b.clipCount })}</span>
              <span>{t('batches.locale', { locale: b.locale })}</span>
              <span>{t('batches.expires', { date: date.format(b.expiresAt) })}</span>
              <span className="status">{t(`batches.status.${b.status}`)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
