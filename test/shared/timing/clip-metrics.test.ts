import { describe, expect, it } from 'vitest';
import type { TimingEventKind } from '../../../shared/domain/timing';
import { measureClip, realTimeFactor, transcriptWer, type ClipEvent } from '../../../shared/timing/clip-metrics';
import type { EpochEnd } from '../../../shared/timing/timeline';

/** Events of one clip: [kind, t] pairs, numbered in order, in epoch `e1` unless given. */
function events(...list: readonly (readonly [TimingEventKind, number, string?, number?])[]): ClipEvent[] {
  return list.map(([kind, t, epoch = 'e1', value], i) => ({
    id: i + 1,
    epoch,
    kind,
    t,
    at: 1_000_000 + t,
    value: value ?? null,
  }));
}
const noEnds = (): EpochEnd | undefined => undefined;

describe('measureClip', () => {
  it('counts handle time from shown to submit and takes idle stretches out of active time', () => {
    const span = measureClip({
      events: events(
        ['shown', 0],
        ['play', 100],
        ['pause', 3_100],
        ['idle', 5_000],
        ['active', 65_000],
        ['edit', 66_000, 'e1', 4],
        ['submit', 70_000],
      ),
      afterId: 0,
      epochEnd: noEnds,
    });
    expect(span).toMatchObject({
      handleMs: 70_000,
      idleMs: 60_000,
      activeMs: 10_000,
      listenMs: 3_000,
      edits: 4,
      plays: 1,
      throughEventId: 7,
    });
    // Active time before the first edit: 5 s before the idle stretch, 1 s after it.
    expect(span.firstEditMs).toBe(6_000);
  });

  it('counts listen time only while the clip is on screen and playing', () => {
    const span = measureClip({
      events: events(
        ['shown', 0],
        ['play', 0],
        ['leave', 2_000],
        ['shown', 10_000],
        ['play', 10_000],
        ['pause', 11_500],
        ['submit', 12_000],
      ),
      afterId: 0,
      epochEnd: noEnds,
    });
    expect(span).toMatchObject({ handleMs: 4_000, listenMs: 3_500, plays: 2 });
  });

  it('counts replays, seeks and speed changes, and says whether the clip was heard in full', () => {
    const heard = measureClip({
      events: events(
        ['shown', 0],
        ['play', 0],
        ['heard', 3_000],
        ['pause', 3_000],
        ['replay', 4_000],
        ['play', 4_000],
        ['seek', 4_500],
        ['rate', 4_600],
        ['rate', 4_700],
        ['submit', 8_000],
      ),
      afterId: 0,
      epochEnd: noEnds,
    });
    expect(heard).toMatchObject({ replays: 1, plays: 2, seeks: 1, rateChanges: 2, heardInFull: true });
    const unheard = measureClip({
      events: events(['shown', 0], ['play', 0], ['pause', 1_000], ['submit', 2_000]),
      afterId: 0,
      epochEnd: noEnds,
    });
    expect(unheard.heardInFull).toBe(false);
    expect(unheard.firstEditMs).toBeNull();
  });

  it('ends a visit cut off by a crash where its epoch was last heard from, and counts nothing between epochs', () => {
    const ends = (epoch: string): EpochEnd | undefined => (epoch === 'e1' ? { mono: 9_000, at: 1_009_000 } : undefined);
    const span = measureClip({
      events: events(['shown', 0], ['play', 1_000], ['edit', 2_000], ['shown', 500, 'e2'], ['submit', 2_500, 'e2']),
      afterId: 0,
      epochEnd: ends,
    });
    // 9 s before the crash (playing from 1 s to 9 s), then 2 s after the restart.
    expect(span).toMatchObject({ handleMs: 11_000, listenMs: 8_000, activeMs: 11_000 });
  });

  it('measures an amendment from the previous submit on, and still knows the clip was heard before', () => {
    const all = events(
      ['shown', 0],
      ['heard', 3_000],
      ['submit', 5_000],
      ['leave', 5_010],
      ['shown', 20_000],
      ['edit', 21_000],
      ['submit', 24_000],
    );
    const first = measureClip({ events: all.slice(0, 3), afterId: 0, epochEnd: noEnds });
    expect(first).toMatchObject({ handleMs: 5_000, throughEventId: 3 });
    const second = measureClip({ events: all, afterId: first.throughEventId, epochEnd: noEnds });
    // 10 ms after the first submit until the clip left, then 4 s on the second visit.
    expect(second).toMatchObject({ handleMs: 4_010, edits: 1, heardInFull: true, throughEventId: 7 });
  });

  it('stops at this submit even when later events of the clip are already stored', () => {
    const span = measureClip({
      events: events(['shown', 0], ['submit', 1_000], ['leave', 1_005]),
      afterId: 0,
      epochEnd: noEnds,
    });
    expect(span).toMatchObject({ handleMs: 1_000, throughEventId: 2 });
  });
});

describe('realTimeFactor and transcriptWer', () => {
  it('divides active time by the clip length, and has none for a clip of unknown length', () => {
    expect(realTimeFactor(6_000, 3_000)).toBe(2);
    expect(realTimeFactor(6_000, 0)).toBeNull();
  });

  it('scores the hypothesis against the submitted transcript after normalisation', () => {
    expect(transcriptWer('Turn on the kitchen lights.', 'turn on kitchen light')).toEqual({
      wer: 0.4,
      wordErrors: 2,
      referenceWords: 5,
    });
    expect(transcriptWer('[noise]', 'hello')).toEqual({ wer: null, wordErrors: 1, referenceWords: 0 });
  });
});
