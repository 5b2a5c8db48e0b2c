import { describe, expect, it } from 'vitest';
import type { TimingEventKind } from '../../../shared/domain/timing';
import { breakDue, workSinceRest } from '../../../shared/timing/break-rules';
import type { EpochEnd, TimelineEvent } from '../../../shared/timing/timeline';

const MIN = 60_000;
const rules = {
  microBreakEveryMinutes: 50,
  microBreakMinutes: 5,
  microBreakAfterEscalations: 1,
  breaksSkippable: true,
};

function events(...list: readonly (readonly [TimingEventKind, number])[]): TimelineEvent[] {
  return list.map(([kind, t], i) => ({ id: i + 1, epoch: 'e1', kind, t, at: t }));
}
const endAt = (mono: number) => (): EpochEnd => ({ mono, at: mono });

describe('workSinceRest', () => {
  it('adds up active time across clips up to where the renderer was last heard from', () => {
    const active = workSinceRest(
      events(['shown', 0], ['leave', 10 * MIN], ['shown', 10 * MIN + 2_000], ['idle', 20 * MIN], ['active', 22 * MIN]),
      {
        epochEnd: endAt(30 * MIN),
        restMs: 5 * MIN,
        openAtStart: false,
      },
    );
    // 10 min, 2 s off screen, 9 min 58 s, 2 min idle, then 8 min.
    expect(active).toBe(28 * MIN - 2_000);
  });

  it('starts again after a stretch without work as long as a micro-break', () => {
    const active = workSinceRest(events(['shown', 0], ['idle', 30 * MIN], ['active', 36 * MIN]), {
      epochEnd: endAt(40 * MIN),
      restMs: 5 * MIN,
      openAtStart: false,
    });
    expect(active).toBe(4 * MIN);
  });

  it('says none while the reviewer is still resting', () => {
    expect(
      workSinceRest(events(['shown', 0], ['leave', 20 * MIN]), {
        epochEnd: endAt(27 * MIN),
        restMs: 5 * MIN,
        openAtStart: false,
      }),
    ).toBe(0);
  });

  it('counts from the first event when a clip was already open before it', () => {
    const active = workSinceRest(events(['edit', 0], ['edit', 3 * MIN]), {
      epochEnd: endAt(4 * MIN),
      restMs: 5 * MIN,
      openAtStart: true,
    });
    expect(active).toBe(4 * MIN);
  });
});

describe('breakDue', () => {
  it('suggests a break after the set number of escalations, before the work rule', () => {
    expect(breakDue({ activeMs: 60 * MIN, escalations: 1, rules })).toEqual({ due: 'escalations', nextBreakInMs: 0 });
  });

  it('suggests a break after M minutes of continuous work and says how long is left before that', () => {
    expect(breakDue({ activeMs: 50 * MIN, escalations: 0, rules })).toEqual({
      due: 'continuous_work',
      nextBreakInMs: 0,
    });
    expect(breakDue({ activeMs: 20 * MIN, escalations: 0, rules })).toEqual({ due: null, nextBreakInMs: 30 * MIN });
  });

  it('never suggests one for escalations when that rule is 0', () => {
    expect(
      breakDue({ activeMs: 0, escalations: 9, rules: { ...rules, microBreakAfterEscalations: 0 } }).due,
    ).toBeNull();
  });
});
