import { useTranslation } from 'react-i18next';
import type { ReviewerFigures } from '../../../shared/timing/reviewer-figures';
import { formatters } from '../../reports/format';
import { ReviewerBarsChart } from './reviewer-bars-chart';

/** Clips per active hour per reviewer, with the rate over work time (idle included) beneath. */
export function ThroughputChart({ reviewers }: { readonly reviewers: readonly ReviewerFigures[] }) {
  const { t, i18n } = useTranslation();
  const f = formatters(t, i18n.language);
  return (
    <ReviewerBarsChart
      testId="chart-reviewer-throughput"
      title={t('reports.reviewerCharts.throughput')}
      axisLabel={t('reports.reviewerCharts.throughputAxis')}
      tick={(n) => f.count(n)}
      legend={[
        { className: 'active-rate', label: t('reports.reviewerCharts.activeRate') },
        { className: 'work-rate', label: t('reports.reviewerCharts.workRate') },
      ]}
      rows={reviewers.map((r) => {
        const values = { active: f.rate(r.clipsPerActiveHour), work: f.rate(r.clipsPerHour) };
        return {
          name: r.pseudonym,
          bars: [
            [{ value: r.clipsPerActiveHour ?? 0, className: 'active-rate' }],
            [{ value: r.clipsPerHour ?? 0, className: 'work-rate' }],
          ],
          text: t('reports.reviewerCharts.throughputValue', values),
          description: t('reports.reviewerCharts.throughputRow', { reviewer: r.pseudonym, ...values }),
        };
      })}
    />
  );
}
