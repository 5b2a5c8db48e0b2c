import { niceMax } from '../../reports/chart-math';

export type ChartBar = { readonly label: string; readonly count: number };

type Props = {
  /** Names the chart for assistive technology and in print. */
  readonly title: string;
  readonly bars: readonly ChartBar[];
  /** Says what the horizontal axis counts, under it. */
  readonly axisLabel: string;
  readonly testId: string;
};

const W = 640;
const H = 220;
const PAD = { left: 36, right: 8, top: 16, bottom: 44 };

/**
 * A vertical bar chart drawn in SVG: each bar with its count above it and its label below, so
 * the figures read as text on screen, to a screen reader and in the printed PDF.
 */
export function BarChart({ title, bars, axisLabel, testId }: Props) {
  const top = niceMax(Math.max(1, ...bars.map((b) => b.count)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, bars.length);
  const y = (n: number): number => PAD.top + plotH - (n / top) * plotH;
  const desc = bars.map((b) => `${b.label}: ${b.count}`).join('; ');
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}. ${desc}`} preserveAspectRatio="xMidYMid meet">
        <line className="axis" x1={PAD.left} y1={y(0)} x2={W - PAD.right} y2={y(0)} />
        <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={y(0)} />
        <text className="tick" x={PAD.left - 6} y={y(top) + 4} textAnchor="end">
          {top}
        </text>
        <text className="tick" x={PAD.left - 6} y={y(0) + 4} textAnchor="end">
          0
        </text>
        {bars.map((b, i) => {
          const x = PAD.left + i * slot;
          return (
            <g key={b.label}>
              <rect className="bar" x={x + slot * 0.15} y={y(b.count)} width={slot * 0.7} height={y(0) - y(b.count)} />
              {b.count > 0 && (
                <text className="value" x={x + slot / 2} y={y(b.count) - 3} textAnchor="middle">
                  {b.count}
                </text>
              )}
              <text className="tick" x={x + slot / 2} y={y(0) + 14} textAnchor="middle">
                {b.label}
              </text>
            </g>
          );
        })}
        <text className="axis-label" x={PAD.left + plotW / 2} y={H - 6} textAnchor="middle">
          {axisLabel}
        </text>
      </svg>
    </figure>
  );
}
