import { useTranslation } from 'react-i18next';
import type { ReviewerFigures } from '../../../shared/timing/reviewer-figures';
import { niceMax } from '../../reports/chart-math';
import { formatters } from '../../reports/format';
import {
  AXIS_H,
  fitLabel,
  plotLeft,
  plotRight,
  REVIEWER_CHART_W,
  ROW_H,
  TOP,
  xOf,
} from '../../reports/reviewer-chart-layout';

/**
 * The spread of each reviewer's handle times: a line from the shortest to the longest, a box
 * from the first to the third quartile, a mark at the median, and the median as text.
 */
export function HandleSpreadChart({ reviewers }: { readonly reviewers: readonly ReviewerFigures[] }) {
  const { t, i18n } = useTranslation();
  const f = formatters(t, i18n.language);
  const title = t('reports.reviewerCharts.handle');
  const max = niceMax(Math.max(1, ...reviewers.map((r) => (r.handle?.max ?? 0) / 1_000)));
  const x = (ms: number): number => xOf(ms / 1_000, max);
  const h = TOP + reviewers.length * ROW_H + AXIS_H;
  const base = TOP + reviewers.length * ROW_H;
  const desc = reviewers
    .map((r) =>
      r.handle
        ? t('reports.reviewerCharts.handleRow', {
            reviewer: r.pseudonym,
            min: f.seconds(r.handle.min),
            q1: f.seconds(r.handle.q1),
            median: f.seconds(r.handle.median),
            q3: f.seconds(r.handle.q3),
            max: f.seconds(r.handle.max),
          })
        : `${r.pseudonym}: ${t('timing.none')}`,
    )
    .join('; ');
  return (
    <figure className="chart reviewer-chart" data-testid="chart-reviewer-handle">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${REVIEWER_CHART_W} ${h}`} role="img" aria-label={`${title}. ${desc}`}>
        {reviewers.map((r, i) => {
          const top = TOP + i * ROW_H;
          const mid = top + ROW_H / 2;
          const s = r.handle;
          return (
            <g key={r.pseudonym}>
              <text className="tick" x={0} y={mid + 4}>
                <title>{r.pseudonym}</title>
                {fitLabel(r.pseudonym)}
              </text>
              {s && (
                <>
                  <line className="whisker" x1={x(s.min)} x2={x(s.max)} y1={mid} y2={mid} />
                  <rect
                    className="spread-box"
                    x={x(s.q1)}
                    y={top + 7}
                    width={Math.max(2, x(s.q3) - x(s.q1))}
                    height={ROW_H - 14}
                  />
                  <line className="median-mark" x1={x(s.median)} x2={x(s.median)} y1={top + 4} y2={top + ROW_H - 4} />
                </>
              )}
              <text className="value" x={plotRight + 8} y={mid + 4}>
                {s ? t('reports.reviewerCharts.handleValue', { median: f.seconds(s.median) }) : t('timing.none')}
              </text>
            </g>
          );
        })}
        <line className="axis" x1={plotLeft} y1={base} x2={plotRight} y2={base} />
        <text className="tick" x={plotLeft} y={base + 14} textAnchor="start">
          0
        </text>
        <text className="tick" x={plotRight} y={base + 14} textAnchor="end">
          {f.count(max)}
        </text>
        <text className="axis-label" x={(plotLeft + plotRight) / 2} y={base + 27} textAnchor="middle">
          {t('reports.reviewerCharts.handleAxis')}
        </text>
      </svg>
      <p className="chart-legend">{t('reports.reviewerCharts.handleLegend')}</p>
    </figure>
  );
}
