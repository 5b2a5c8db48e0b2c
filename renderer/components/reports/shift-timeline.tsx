import { useTranslation } from 'react-i18next';
import type { ShiftMarks } from '../../reports/chart-math';
import { formatters } from '../../reports/format';
import { fitLabel } from '../../reports/reviewer-chart-layout';

const W = 640;
const ROW = 34;
const LEFT = 120;
const RIGHT = 8;

/**
 * Each shift as a bar from its start to its end, breaks shaded on it (suggested ones marked),
 * escalations as ticks; the counts are written beside each row.
 */
export function ShiftTimeline({ marks }: { readonly marks: readonly ShiftMarks[] }) {
  const { t, i18n } = useTranslation();
  const f = formatters(t, i18n.language);
  const longest = Math.max(60_000, ...marks.map((m) => m.durationMs));
  const x = (ms: number): number => LEFT + (Math.max(0, Math.min(ms, longest)) / longest) * (W - LEFT - RIGHT);
  const h = marks.length * ROW + 28;
  const desc = marks
    .map((m) =>
      t('reports.charts.timelineRow', {
        reviewer: m.pseudonym,
        breaks: m.breaks.length,
        escalations: m.escalations.length,
      }),
    )
    .join('; ');
  return (
    <figure className="chart" data-testid="chart-timeline">
      <figcaption>{t('reports.charts.timeline')}</figcaption>
      <svg viewBox={`0 0 ${W} ${h}`} role="img" aria-label={`${t('reports.charts.timeline')}. ${desc}`}>
        {marks.map((m, row) => {
          const top = row * ROW + 6;
          return (
            <g key={m.shiftId}>
              <text className="tick" x={4} y={top + 12}>
                <title>{m.pseudonym}</title>
                {fitLabel(m.pseudonym, 14)}
              </text>
              <text className="tick" x={4} y={top + 25}>
                {f.time(m.startedAt)}
              </text>
              <rect className="shift-bar" x={x(0)} y={top + 4} width={x(m.durationMs) - x(0)} height={16} />
              {m.breaks.map((b) => (
                <rect
                  key={b.from}
                  className={b.suggested ? 'break-bar suggested' : 'break-bar'}
                  x={x(b.from)}
                  y={top + 4}
                  width={Math.max(2, x(b.to) - x(b.from))}
                  height={16}
                />
              ))}
              {m.escalations.map((e) => (
                <line key={e} className="escalation-mark" x1={x(e)} x2={x(e)} y1={top} y2={top + 24} />
              ))}
            </g>
          );
        })}
        <text className="axis-label" x={LEFT} y={h - 4}>
          {t('reports.charts.timelineAxis', { length: f.duration(longest) })}
        </text>
      </svg>
      <p className="chart-legend">
        <span className="legend break">{t('reports.charts.legendBreak')}</span>{' '}
        <span className="legend suggested">{t('reports.charts.legendSuggested')}</span>{' '}
        <span className="legend escalation">{t('reports.charts.legendEscalation')}</span>
      </p>
    </figure>
  );
}
