import { useTranslation } from 'react-i18next';
import type { ReviewerFigures } from '../../../shared/timing/reviewer-figures';
import { formatters } from '../../reports/format';
import { ReviewerBarsChart } from './reviewer-bars-chart';

/** Escalations and breaks taken per reviewer, side by side. */
export function EscalationsBreaksChart({ reviewers }: { readonly reviewers: readonly ReviewerFigures[] }) {
  const { t, i18n } = useTranslation();
  const f = formatters(t, i18n.language);
  return (
    <ReviewerBarsChart
      testId="chart-reviewer-escalations-breaks"
      title={t('reports.reviewerCharts.escalationsBreaks')}
      axisLabel={t('reports.reviewerCharts.countAxis')}
      tick={(n) => f.count(n)}
      legend={[
        { className: 'escalation-bar', label: t('reports.reviewerCharts.escalations') },
        { className: 'break-bar', label: t('reports.reviewerCharts.breaks') },
      ]}
      rows={reviewers.map((r) => {
        const values = { escalations: f.count(r.escalations), breaks: f.count(r.breaks), time: f.duration(r.breakMs) };
        return {
          name: r.pseudonym,
          bars: [
            [{ value: r.escalations, className: 'escalation-bar' }],
            [{ value: r.breaks, className: 'break-bar' }],
          ],
          text: t('reports.reviewerCharts.escalationsBreaksValue', values),
          description: t('reports.reviewerCharts.escalationsBreaksRow', { reviewer: r.pseudonym, ...values }),
        };
      })}
    />
  );
}
