import { useTranslation } from 'react-i18next';
import type { ShiftReport } from '../../../shared/domain/timing';
import { reviewerFigures } from '../../../shared/timing/reviewer-figures';
import { AccuracySpeedChart } from './accuracy-speed-chart';
import { EscalationsBreaksChart } from './escalations-breaks-chart';
import { HandleSpreadChart } from './handle-spread-chart';
import { SecondListensTable } from './second-listens-table';
import { ThroughputChart } from './throughput-chart';
import { WellbeingChart } from './wellbeing-chart';

/**
 * The team comparison: one chart per question, each with one row per reviewer of the report.
 * Each chart is its own component reading the same per-reviewer figures as the CSV.
 */
export function ReviewerCharts({ report }: { readonly report: ShiftReport }) {
  const { t } = useTranslation();
  const reviewers = reviewerFigures(report);
  if (reviewers.length === 0) {
    return null;
  }
  return (
    <section className="reviewer-charts" aria-labelledby="reviewer-charts-heading" data-testid="reviewer-charts">
      <h3 id="reviewer-charts-heading">{t('reports.reviewerCharts.heading')}</h3>
      <ThroughputChart reviewers={reviewers} />
      <HandleSpreadChart reviewers={reviewers} />
      <EscalationsBreaksChart reviewers={reviewers} />
      <WellbeingChart reviewers={reviewers} />
      {report.gold === undefined ? null : <AccuracySpeedChart report={report} />}
      {report.secondListens === undefined ? null : <SecondListensTable counts={report.secondListens} />}
    </section>
  );
}
