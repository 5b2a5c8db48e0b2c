/**
 * User-timing marks for profiles and the renderer benchmark, all named `earmark:…`. A measure
 * is taken and its entries cleared at once: a PerformanceObserver still receives it, and a shift
 * of a thousand clips leaves nothing piling up in the page's timeline buffer. Each call costs a
 * few microseconds.
 */
const PREFIX = 'earmark:';

const timeline = (): Performance | null =>
  typeof performance !== 'undefined' && typeof performance.mark === 'function' ? performance : null;

/** Starts the span `name` now (replacing one already started). */
export function markStart(name: string): void {
  const p = timeline();
  if (p) {
    p.clearMarks(`${PREFIX}${name}:start`);
    p.mark(`${PREFIX}${name}:start`);
  }
}

/** Ends the span `name` as the measure `earmark:<name>`; does nothing when it was not started. */
export function measureFrom(name: string): void {
  const p = timeline();
  const start = `${PREFIX}${name}:start`;
  if (!p || p.getEntriesByName(start, 'mark').length === 0) {
    return;
  }
  p.measure(`${PREFIX}${name}`, start);
  p.clearMarks(start);
  p.clearMeasures(`${PREFIX}${name}`);
}
