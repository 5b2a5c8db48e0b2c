import { useTranslation } from 'react-i18next';
import type { ShiftReport } from '../../../shared/domain/timing';
import { accuracyPoints, plotted } from '../../reports/accuracy-math';
import { niceMax } from '../../reports/chart-math';
import { formatters } from '../../reports/format';

const W = 640;
const H = 260;
const PAD = { left: 48, right: 16, top: 16, bottom: 44 };

/**
 * Accuracy against speed, one point per reviewer: clips per hour across, gold word error rate
 * up (lower is better), over the report's shifts. The same figures follow in a table, so they
 * read as text on screen, to a screen reader and in the printed PDF. A reviewer without gold
 * clips is in the table only.
 */
export function AccuracySpeedChart({ report }: { readonly report: ShiftReport }) {
  const { t, i18n } = useTranslation();
  const f = formatters(t, i18n.language);
  const points = accuracyPoints(report);
  const drawn = points.filter(plotted);
  const maxRate = niceMax(Math.max(1, ...drawn.map((p) => p.clipsPerHour)));
  const maxWer = niceMax(Math.max(10, ...drawn.map((p) => p.gold.wer * 100))) / 100;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (rate: number): number => PAD.left + (rate / maxRate) * plotW;
  const y = (wer: number): number => PAD.top + plotH - (wer / maxWer) * plotH;
  const title = t('goldChart.title');
  const desc = drawn
    .map((p) =>
      t('goldChart.point', { reviewer: p.reviewer, rate: f.rate(p.clipsPerHour), wer: f.percent(p.gold.wer) }),
    )
    .join('; ');
  return (
    <figure className="chart" data-testid="chart-accuracy-speed">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={drawn.length > 0 ? `${title}. ${desc}` : `${title}. ${t('goldChart.empty')}`}
        preserveAspectRatio="xMidYMid meet"
      >
        <line className="axis" x1={PAD.left} y1={y(0)} x2={W - PAD.right} y2={y(0)} />
        <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={y(0)} />
        <text className="tick" x={PAD.left - 6} y={y(maxWer) + 4} textAnchor="end">
          {f.percent(maxWer)}
        </text>
        <text className="tick" x={PAD.left - 6} y={y(0) + 4} textAnchor="end">
          {f.percent(0)}
        </text>
        <text className="tick" x={x(maxRate)} y={y(0) + 14} textAnchor="end">
          {f.count(maxRate)}
        </text>
        {drawn.map((p) => (
          <g key={p.reviewer} data-reviewer={p.reviewer}>
            <circle className="bar" cx={x(p.clipsPerHour)} cy={y(p.gold.wer)} r={5} />
            <text className="value" x={x(p.clipsPerHour) + 8} y={y(p.gold.wer) - 6}>
              {p.reviewer}
            </text>
          </g>
        ))}
        <text className="axis-label" x={PAD.left + plotW / 2} y={H - 6} textAnchor="middle">
          {t('goldChart.xAxis')}
        </text>
        <text
          className="axis-label"
          x={12}
          y={PAD.top + plotH / 2}
          textAnchor="middle"
          transform={`rotate(-90 12 ${PAD.top + plotH / 2})`}
        >
          {t('goldChart.yAxis')}
        </text>
      </svg>
      <table className="chart-table">
        <thead>
          <tr>
            <th scope="col">{t('goldChart.reviewer')}</th>
            <th scope="col">{t('goldChart.clipsPerHour')}</th>
            <th scope="col">{t('goldChart.goldClips')}</th>
            <th scope="col">{t('goldChart.goldWer')}</th>
            <th scope="col">{t('goldChart.agreement')}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.reviewer} data-reviewer={p.reviewer}>
              <th scope="row">
                <bdi>{p.reviewer}</bdi>
              </th>
              <td>{f.rate(p.clipsPerHour)}</td>
              <td>{f.count(p.gold.clips)}</td>
              <td>{f.percent(p.gold.wer)}</td>
              <td>{f.percent(p.gold.dispositionAgreement)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
