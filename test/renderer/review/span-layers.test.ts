import { describe, expect, it } from 'vitest';
import type { AnnotationBody } from '../../../shared/domain/annotation';
import { spanRuns } from '../../../renderer/review/span-layers';

const body = (over: Partial<AnnotationBody>): AnnotationBody => ({
  transcript: 'call mom at home now',
  critical: [],
  entities: [],
  ...over,
});

describe('spanRuns', () => {
  it('gives one plain run for an untagged transcript', () => {
    expect(spanRuns(body({}))).toEqual([{ start: 0, end: 20, layers: [] }]);
  });

  it('gives no runs for an empty transcript', () => {
    expect(spanRuns(body({ transcript: '' }))).toEqual([]);
  });

  it('cuts the text round a tagged word and marks its kind', () => {
    const runs = spanRuns(body({ entities: [{ start: 5, end: 8, type: 'contact' }] }));
    expect(runs).toEqual([
      { start: 0, end: 5, layers: [] },
      { start: 5, end: 8, layers: [{ kind: 'entity', track: 0 }] },
      { start: 8, end: 20, layers: [] },
    ]);
  });

  it('puts two tags on the same word on separate tracks', () => {
    const runs = spanRuns(
      body({ critical: [{ start: 5, end: 8, category: 'other' }], entities: [{ start: 5, end: 8, type: 'contact' }] }),
    );
    expect(runs[1]?.layers).toEqual([
      { kind: 'critical', track: 0 },
      { kind: 'entity', track: 1 },
    ]);
  });

  it('keeps a span on one track along its length when another overlaps part of it', () => {
    const runs = spanRuns(
      body({
        critical: [{ start: 5, end: 16, category: 'address' }],
        entities: [{ start: 12, end: 20, type: 'place' }],
      }),
    );
    expect(runs.map((r) => [r.start, r.end, r.layers.map((l) => `${l.kind}:${l.track}`)])).toEqual([
      [0, 5, []],
      [5, 12, ['critical:0']],
      [12, 16, ['critical:0', 'entity:1']],
      [16, 20, ['entity:1']],
    ]);
  });

  it('reuses a track once the span on it has ended', () => {
    const runs = spanRuns(
      body({
        critical: [{ start: 0, end: 4, category: 'other' }],
        entities: [
          { start: 2, end: 8, type: 'contact' },
          { start: 12, end: 16, type: 'place' },
        ],
      }),
    );
    expect(runs.find((r) => r.start === 12)?.layers).toEqual([{ kind: 'entity', track: 0 }]);
  });

  it('ignores a span that no longer fits the text', () => {
    expect(spanRuns(body({ entities: [{ start: 18, end: 40, type: 'place' }] }))).toEqual([
      { start: 0, end: 20, layers: [] },
    ]);
  });
});
