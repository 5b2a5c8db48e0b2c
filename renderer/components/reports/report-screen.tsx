import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useErrorText } from '../../i18n/error-text';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';
import { formatters } from '../../reports/format';
import { ReportCharts } from './report-charts';
import { ReportFilters } from './report-filters';
import { ReportSummary } from './report-summary';
import { ReviewerCharts } from './reviewer-charts';

/**
 * The supervisor's shift report: filter and choose shifts (the team's from the service, or this
 * workstation's), read their figures, charts and the team comparison, save them as CSV or PDF. The report part is a printable page (the controls are not printed); it holds no
 * transcript text and no audio. The back command (Alt+← by default) returns to the batch list.
 */
export function ReportScreen() {
  const { t, i18n } = useTranslation();
  const say = useErrorText();
  const f = formatters(t, i18n.language);
  const back = useReview().keys('app.back');
  // What is drawn and the actions; `open` and `show` are the app's concern, not this screen's.
  const r = useAppStore(
    useShallow((s) => ({
      shifts: s.reports.shifts,
      selected: s.reports.selected,
      report: s.reports.report,
      loading: s.reports.loading,
      exporting: s.reports.exporting,
      outcome: s.reports.outcome,
      error: s.reports.error,
      source: s.reports.source,
      fallback: s.reports.fallback,
      filters: s.reports.filters,
      nextCursor: s.reports.nextCursor,
      loadingMore: s.reports.loadingMore,
      filter: s.reports.filter,
      more: s.reports.more,
      hide: s.reports.hide,
      toggle: s.reports.toggle,
      exportCsv: s.reports.exportCsv,
      exportPdf: s.reports.exportPdf,
    })),
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const busy = r.exporting !== null || r.loading;

  return (
    <section className="reports" aria-labelledby="reports-heading" data-testid="report-screen">
      <div className="report-controls">
        <div className="review-top">
          <h2 id="reports-heading" ref={heading} tabIndex={-1}>
            {t('reports.heading')}
          </h2>
          <button type="button" onClick={() => r.hide()} aria-keyshortcuts={back}>
            {t('reports.back')} <kbd aria-hidden="true">{back}</kbd>
          </button>
        </div>
        {r.fallback && (
          <p className="notice report-fallback" role="status" data-testid="report-fallback">
            {t(`reports.fallback.${r.fallback}`)}
          </p>
        )}
        {r.filters && (
          <ReportFilters
            filters={r.filters}
            reviewers={[...new Set((r.shifts ?? []).map((s) => s.shift.pseudonym))].sort()}
            busy={busy}
            onApply={(f) => void r.filter(f)}
          />
        )}
        {r.shifts && r.shifts.length === 0 && (
          <p className="empty">{t(r.source === 'service' ? 'reports.noTeamShifts' : 'reports.noShifts')}</p>
        )}
        {r.shifts && r.shifts.length > 0 && (
          <fieldset className="shift-picker">
            <legend>
              {t(r.source === 'service' ? 'reports.chooseTeamShifts' : 'reports.chooseShifts', {
                n: r.shifts.length,
              })}
            </legend>
            {r.shifts.map((s) => (
              <label key={s.shift.id}>
                <input
                  type="checkbox"
                  checked={r.selected.includes(s.shift.id)}
                  onChange={() => void r.toggle(s.shift.id)}
                />{' '}
                {t('reports.shiftOption', {
                  reviewer: s.shift.pseudonym,
                  start: f.dateTime(s.shift.startedAt),
                  clips: s.clipsDone,
                })}
              </label>
            ))}
            {r.nextCursor !== null && (
              <button
                type="button"
                className="more-shifts"
                aria-disabled={r.loadingMore}
                onClick={() => !r.loadingMore && void r.more()}
              >
                {r.loadingMore ? t('app.loading') : t('reports.more')}
              </button>
            )}
          </fieldset>
        )}
        <div className="dialog-actions">
          <button
            type="button"
            aria-disabled={busy || r.selected.length === 0}
            onClick={() => !busy && r.selected.length > 0 && void r.exportCsv()}
          >
            {r.exporting === 'csv' ? t('reports.exporting') : t('reports.exportCsv')}
          </button>
          <button
            type="button"
            aria-disabled={busy || r.report === null}
            onClick={() => !busy && r.report !== null && void r.exportPdf()}
          >
            {r.exporting === 'pdf' ? t('reports.exporting') : t('reports.exportPdf')}
          </button>
        </div>
        <p role="status" className="report-status">
          {r.outcome &&
            (r.outcome.files.length > 0
              ? t('reports.saved', { files: r.outcome.files.join(', ') })
              : t('reports.cancelled'))}
        </p>
        {r.error && (
          <p role="alert">
            {t('reports.failed', {
              // Here only a missing exporter answers UNAVAILABLE: say what that means for a report.
              message: r.error.code === 'UNAVAILABLE' ? t('reports.needsDesktop') : say(r.error),
            })}
          </p>
        )}
      </div>
      {r.loading && <p aria-busy="true">{t('app.loading')}</p>}
      {r.report && !r.loading && (
        <article className="report-page" aria-labelledby="report-title" data-testid="report-page">
          <h2 id="report-title">{t('reports.title')}</h2>
          <p className="report-meta">
            {t('reports.generated', { time: f.dateTime(r.report.generatedAt), shifts: r.report.summaries.length })}
          </p>
          {r.filters && (
            <p className="report-meta">
              {t(r.source === 'service' ? 'reports.sourceService' : 'reports.sourceWorkstation')}
            </p>
          )}
          <ReportSummary summaries={r.report.summaries} />
          <ReportCharts report={r.report} />
          <ReviewerCharts report={r.report} />
          <p className="report-meta">{t('reports.privacy')}</p>
        </article>
      )}
    </section>
  );
}
