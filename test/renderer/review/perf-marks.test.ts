import { afterEach, describe, expect, it } from 'vitest';
import { markStart, measureFrom } from '../../../renderer/review/perf-marks';

describe('perf marks', () => {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ['measure'] });

  afterEach(() => {
    seen.length = 0;
  });

  it('reports a span as an earmark: measure to observers and leaves nothing in the timeline', async () => {
    markStart('clip-switch');
    measureFrom('clip-switch');

    await new Promise((r) => setTimeout(r, 0));
    expect(seen.map((e) => e.name)).toEqual(['earmark:clip-switch']);
    expect(performance.getEntriesByName('earmark:clip-switch')).toEqual([]);
    expect(performance.getEntriesByName('earmark:clip-switch:start')).toEqual([]);
  });

  it('measures nothing for a span that was never started', async () => {
    measureFrom('never-started');

    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([]);
  });
});
