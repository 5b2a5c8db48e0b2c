/** The comparison as a plain-text table, one figure per line, flagged differences in capitals. */
import type { Better, FigureComparison, Side } from './verdict';

const ARROW: Record<Better, string> = { higher: '↑', lower: '↓', input: '=' };

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) {
    return v > 0 ? '∞' : String(v);
  }
  return Math.abs(v) >= 1000 ? String(Math.round(v)) : String(Number(v.toPrecision(3)));
}

function side(s: Side | undefined): string {
  if (!s) {
    return '—';
  }
  return s.q1 === s.q3
    ? formatNumber(s.median)
    : `${formatNumber(s.median)} (${formatNumber(s.q1)}–${formatNumber(s.q3)})`;
}

function verdictText(c: FigureComparison): string {
  return c.verdict === 'within noise' || c.verdict === 'same input' || c.verdict === 'missing'
    ? c.verdict
    : c.verdict.toUpperCase();
}

/** A cell's width in a monospaced terminal, counted in code points so '—' and '∞' count once. */
function width(cell: string): number {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are the unit meant here
  return [...cell].length;
}

export function formatComparison(rows: readonly FigureComparison[], headLabel: string, refLabel: string): string {
  const table = [
    ['figure', '', headLabel, refLabel, 'ratio', 'verdict'],
    ...rows.map((c) => [
      c.name,
      ARROW[c.better],
      side(c.head),
      side(c.ref),
      c.ratio === undefined ? '—' : c.ratio === Number.POSITIVE_INFINITY ? '∞' : c.ratio.toFixed(3),
      verdictText(c),
    ]),
  ];
  const widths = table[0]?.map((_, col) => Math.max(...table.map((row) => width(row[col] ?? '')))) ?? [];
  return table
    .map((row) =>
      row
        .map((cell, col) => cell + ' '.repeat(Math.max(0, (widths[col] ?? 0) - width(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
