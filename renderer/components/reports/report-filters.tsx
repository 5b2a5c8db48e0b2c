import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportFilters as Filters } from '../../store/slices/reports.slice';
import { dateInput, lastDateOf, windowOf } from '../../reports/date-range';

type Props = {
  readonly filters: Filters;
  /** Pseudonyms listed so far, offered as suggestions. */
  readonly reviewers: readonly string[];
  readonly busy: boolean;
  readonly onApply: (filters: Filters) => void;
};

/** The team filters: a date range (inclusive days), a reviewer and a batch; applied together. */
export function ReportFilters({ filters, reviewers, busy, onApply }: Props) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(dateInput(filters.from));
  const [to, setTo] = useState(lastDateOf(filters.to));
  const [reviewer, setReviewer] = useState(filters.reviewer);
  const [batch, setBatch] = useState(filters.batch);
  const window = windowOf(from, to);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (window && !busy) {
      onApply({ ...window, reviewer, batch });
    }
  };
  return (
    <form className="report-filters" onSubmit={submit} aria-label={t('reports.filters.label')}>
      <label>
        {t('reports.filters.from')}
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
      </label>
      <label>
        {t('reports.filters.to')}
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
      </label>
      <label>
        {t('reports.filters.reviewer')}
        <input
          type="text"
          value={reviewer}
          list="report-reviewers"
          maxLength={64}
          placeholder={t('reports.filters.any')}
          onChange={(e) => setReviewer(e.target.value)}
        />
      </label>
      <datalist id="report-reviewers">
        {reviewers.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <label>
        {t('reports.filters.batch')}
        <input
          type="text"
          value={batch}
          maxLength={64}
          placeholder={t('reports.filters.any')}
          onChange={(e) => setBatch(e.target.value)}
        />
      </label>
      <button type="submit" aria-disabled={busy || window === null}>
        {t('reports.filters.apply')}
      </button>
      {window === null && <p role="alert">{t('reports.filters.badDates')}</p>}
    </form>
  );
}
