import { describe, expect, it } from 'vitest';
import {
  betterDirection,
  classify,
  compareFigures,
  describeSide,
  isFloor,
  ratioOf,
} from '../../../bench/compare/verdict';

describe('betterDirection', () => {
  it.each([
    ['import_mb_s', 'higher'],
    ['sync_annotations_s', 'higher'],
    ['import_ratio', 'higher'],
    ['sync_ratio', 'higher'],
    ['renderer_heap_ratio', 'lower'],
    ['clip_switch_ms_p95', 'lower'],
    ['db_bytes_per_clip', 'lower'],
    ['sync_seconds', 'lower'],
    ['clips', 'input'],
    ['package_mb', 'input'],
    ['renderer_clips', 'input'],
  ])('%s is better %s', (name, better) => {
    expect(betterDirection(name)).toBe(better);
  });
});

describe('isFloor', () => {
  it.each([
    ['import_floor_mb_s', true],
    ['paint_floor_ms_p95', true],
    ['clip_switch_bare_ms_p50', true],
    ['import_mb_s', false],
    ['clip_switch_ms_p50', false],
  ])('%s is a floor: %s', (name, floor) => {
    expect(isFloor(name)).toBe(floor);
  });
});

describe('describeSide', () => {
  it('gives the conventional median and a nearest-rank interquartile range', () => {
    expect(describeSide([3, 1, 2])).toEqual({ values: [3, 1, 2], median: 2, q1: 1, q3: 3 });
    expect(describeSide([3, 1, 2, 4])).toMatchObject({ median: 2.5, q1: 1, q3: 3 });
    expect(describeSide([5, 1, 4, 2, 3])).toMatchObject({ median: 3, q1: 2, q3: 4 });
  });

  it('has nothing to say about a figure a side never produced', () => {
    expect(describeSide([])).toBeUndefined();
  });
});

describe('ratioOf', () => {
  it('divides HEAD by REF, with zero over zero as no change', () => {
    expect(ratioOf(3, 2)).toBe(1.5);
    expect(ratioOf(0, 0)).toBe(1);
    expect(ratioOf(1, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('classify', () => {
  const side = (...values: number[]) => describeSide(values);

  it('calls overlapping ranges noise, however far apart the medians', () => {
    expect(classify('lower', side(10, 14), side(12, 20))).toBe('within noise');
  });

  it('flags separate ranges as better or worse by the figure’s direction', () => {
    expect(classify('lower', side(10, 11), side(12, 13))).toBe('better');
    expect(classify('higher', side(10, 11), side(12, 13))).toBe('worse');
    expect(classify('higher', side(20, 21), side(12, 13))).toBe('better');
  });

  it('flags any change of a figure that never varies', () => {
    expect(classify('lower', side(11485, 11485), side(11480, 11480))).toBe('worse');
    expect(classify('lower', side(0, 0), side(0, 0))).toBe('within noise');
  });

  it('says a floor moved rather than judging it', () => {
    expect(classify('higher', side(10, 11), side(20, 21), true)).toBe('floor moved');
    expect(classify('higher', side(10, 21), side(20, 21), true)).toBe('within noise');
  });

  it('expects inputs to match', () => {
    expect(classify('input', side(250, 250), side(250, 250))).toBe('same input');
    expect(classify('input', side(250, 250), side(1000, 1000))).toBe('input differs');
  });

  it('reports a figure one side lacks as missing', () => {
    expect(classify('lower', side(1), undefined)).toBe('missing');
  });
});

describe('compareFigures', () => {
  it('lines up every figure either side produced, a figure an older REF lacks included', () => {
    const rows = compareFigures(
      [
        { clips: 250, new_figure_ms: 4, import_mb_s: 80 },
        { clips: 250, new_figure_ms: 5, import_mb_s: 82 },
      ],
      [
        { clips: 250, import_mb_s: 60, old_figure_ms: 1 },
        { clips: 250, import_mb_s: 61, old_figure_ms: 2 },
      ],
    );
    expect(rows.map((r) => [r.name, r.verdict])).toEqual([
      ['clips', 'same input'],
      ['new_figure_ms', 'missing'],
      ['import_mb_s', 'better'],
      ['old_figure_ms', 'missing'],
    ]);
    expect(rows.find((r) => r.name === 'import_mb_s')?.ratio).toBeCloseTo(81 / 60.5);
    expect(rows.find((r) => r.name === 'new_figure_ms')?.ratio).toBeUndefined();
  });
});
