import { useTranslation } from 'react-i18next';
import type { ShiftReport } from '../../../shared/domain/timing';
import { dispositionMix, handleHistogram, shiftMarks, throughput } from '../../reports/chart-math';
import { BarChart } from './bar-chart';
import { ShiftTimeline } from './shift-timeline';

/** The report's four charts: throughput, handle times, dispositions, breaks and escalations. */
export function ReportCharts({ report }: { readonly report: ShiftReport }) {
  const { t } = useTranslation();
  const flow = throughput(report);
  const histogram = handleHistogram(report);
  return (
    <div className="report-charts">
      <BarChart
        testId="chart-throughput"
        title={t('reports.charts.throughput', { minutes: flow.bucketMinutes })}
        axisLabel={t('reports.charts.throughputAxis')}
        bars={flow.bars.map((b) => ({ label: t('reports.charts.minuteMark', { minutes: b.from }), count: b.count }))}
      />
      <BarChart
        testId="chart-handle"
        title={t('reports.charts.handle')}
        axisLabel={t('reports.charts.handleAxis')}
        bars={histogram.map((b) => ({
          label: t('reports.charts.secondsRange', { from: b.from, to: b.to }),
          count: b.count,
        }))}
      />
      <BarChart
        testId="chart-dispositions"
        title={t('reports.charts.dispositions')}
        axisLabel={t('reports.charts.dispositionsAxis')}
        bars={dispositionMix(report).map((d) => ({
          label: t(`reports.dispositionShort.${d.disposition}`),
          count: d.count,
        }))}
      />
      <ShiftTimeline marks={shiftMarks(report)} />
    </div>
  );
}
