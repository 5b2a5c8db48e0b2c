/**
 * The report filters' dates: a date input's `YYYY-MM-DD` in local time, and the window it means.
 * `to` is inclusive on screen, so its window ends at the following midnight.
 */

const DAY = 24 * 3_600_000;
const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of `ms` in local time. */
export function dateInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local midnight at the start of a `YYYY-MM-DD` date; null when it is not one. */
export function startOfDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) {
    return null;
  }
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return Number.isNaN(at) ? null : at;
}

/** The window [from, to) of two inclusive dates; null when either is not a date or they are out of order. */
export function windowOf(from: string, to: string): { from: number; to: number } | null {
  const start = startOfDate(from);
  const last = startOfDate(to);
  if (start === null || last === null) {
    return null;
  }
  // The next midnight, however long the day (a DST change): the start of the day after.
  const end = startOfDate(dateInput(last + DAY + 3 * 3_600_000));
  return end === null || end <= start ? null : { from: start, to: end };
}

/** The date shown in the `to` input for a window that ends at `to` (exclusive). */
export const lastDateOf = (to: number): string => dateInput(to - 1);
