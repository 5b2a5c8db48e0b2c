/**
 * The layout of the per-reviewer charts: one row per reviewer, the name in a column of its own.
 * The drawing is 640 units wide and is never scaled up or down (CSS caps it at 640 px), so text
 * drawn at {@link CHART_TEXT_PX} is that size on screen and 9.75 pt in the printed PDF.
 */

/** Width of the drawing, in CSS px. */
export const REVIEWER_CHART_W = 640;
/** Text size in the drawing, in CSS px (13 px = 9.75 pt). */
export const CHART_TEXT_PX = 13;
/** The name column, and how many characters of a name fit in it at {@link CHART_TEXT_PX}. */
export const NAME_COLUMN = 190;
export const NAME_CHARS = 24;
/** The column for the figures written after each bar. */
export const VALUE_COLUMN = 150;
export const ROW_H = 34;
export const TOP = 8;
export const AXIS_H = 30;

/** A name cut to fit the name column, with an ellipsis when cut; the full name goes in a tooltip. */
export function fitLabel(name: string, chars = NAME_CHARS): string {
  return name.length <= chars ? name : `${name.slice(0, chars - 1)}…`;
}

/** Where the bars run: from the name column to the figures column. */
export const plotLeft = NAME_COLUMN + 8;
export const plotRight = REVIEWER_CHART_W - VALUE_COLUMN;

/** The x of `value` on an axis from 0 to `max`. */
export const xOf = (value: number, max: number): number =>
  plotLeft + (max <= 0 ? 0 : (Math.max(0, Math.min(value, max)) / max) * (plotRight - plotLeft));
