import { niceMax } from '../../reports/chart-math';
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

/** A part of a bar: its length and the class that colours it. */
export type BarPart = { readonly value: number; readonly className: string };

/** One reviewer's row: one or more bars (each of stacked parts), and the figures written after them. */
export type ReviewerRow = {
  readonly name: string;
  readonly bars: readonly (readonly BarPart[])[];
  readonly text: string;
  /** What the row says, for assistive technology. */
  readonly description: string;
};

export type LegendItem = { readonly className: string; readonly label: string };

type Props = {
  readonly title: string;
  readonly testId: string;
  readonly rows: readonly ReviewerRow[];
  readonly axisLabel: string;
  readonly legend?: readonly LegendItem[];
  /** Formats the axis' end value. */
  readonly tick?: (n: number) => string;
};

/**
 * Horizontal bars, one row per reviewer, for comparing a team: the name on the left (cut to fit,
 * whole in the tooltip and the accessible description), the bars, and the figures as text.
 */
export function ReviewerBarsChart({ title, testId, rows, axisLabel, legend, tick = String }: Props) {
  const max = niceMax(Math.max(1, ...rows.flatMap((r) => r.bars.map((b) => b.reduce((n, p) => n + p.value, 0)))));
  const h = TOP + rows.length * ROW_H + AXIS_H;
  const base = TOP + rows.length * ROW_H;
  return (
    <figure className="chart reviewer-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${REVIEWER_CHART_W} ${h}`}
        role="img"
        aria-label={`${title}. ${rows.map((r) => r.description).join('; ')}`}
      >
        {rows.map((r, i) => {
          const top = TOP + i * ROW_H;
          const barH = (ROW_H - 10) / Math.max(1, r.bars.length);
          return (
            <g key={r.name}>
              <text className="tick" x={0} y={top + ROW_H / 2 + 4}>
                <title>{r.name}</title>
                {fitLabel(r.name)}
              </text>
              {r.bars.map((parts, j) => {
                let at = 0;
                return parts.map((p) => {
                  const x = xOf(at, max);
                  at += p.value;
                  return (
                    <rect
                      key={`${j}-${p.className}`}
                      className={p.className}
                      x={x}
                      y={top + 5 + j * barH}
                      width={Math.max(0, xOf(at, max) - x)}
                      height={barH - 2}
                    />
                  );
                });
              })}
              <text className="value" x={plotRight + 8} y={top + ROW_H / 2 + 4}>
                {r.text}
              </text>
            </g>
          );
        })}
        <line className="axis" x1={plotLeft} y1={base} x2={plotRight} y2={base} />
        <text className="tick" x={plotLeft} y={base + 14} textAnchor="start">
          0
        </text>
        <text className="tick" x={plotRight} y={base + 14} textAnchor="end">
          {tick(max)}
        </text>
        <text className="axis-label" x={(plotLeft + plotRight) / 2} y={base + 27} textAnchor="middle">
          {axisLabel}
        </text>
      </svg>
      {legend && legend.length > 0 && (
        <p className="chart-legend">
          {legend.map((l) => (
            <span key={l.className} className={`legend ${l.className}`}>
              {l.label}
            </span>
          ))}
        </p>
      )}
    </figure>
  );
}
