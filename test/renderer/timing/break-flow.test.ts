import { describe, expect, it } from 'vitest';
import type { PacePanel } from '../../../shared/domain/timing';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import { ok } from '../../../shared/result';
import { createBreaks } from '../../../renderer/timing/break-flow';
import { createAppStore } from '../../../renderer/store';

const panel = (breaksSkippable: boolean): PacePanel => ({
  shift: null,
  clipsDone: 3,
  clipsPerHour: null,
  medianHandleMs: null,
  nextBreakInMs: 0,
  breakDue: 'escalations',
  onBreak: null,
  idleSeconds: 30,
  breakMinutes: 5,
  breaksSkippable,
});

/** Closes the "escalation saved" panel while an escalation break is due; returns the skips asked of main. */
async function closeEscalated(breaksSkippable: boolean): Promise<string[]> {
  const skips: string[] = [];
  const api = {
    breaks: {
      skip: ({ trigger }: { trigger: string }) => {
        skips.push(trigger);
        return Promise.resolve(ok(null));
      },
    },
    metrics: { panel: () => Promise.resolve(ok(panel(breaksSkippable))) },
  } as unknown as ReviewerApi;
  const store = createAppStore(api);
  store.setState((s) => ({ timing: { ...s.timing, panel: panel(breaksSkippable) } }));
  store.getState().review.setPanel('escalated');
  createBreaks({ store, audio: { pause: () => undefined } }).panelClosing();
  await Promise.resolve();
  return skips;
}

describe('declining a break', () => {
  it('records the escalation break as skipped when the reviewer goes back to the clip', async () => {
    expect(await closeEscalated(true)).toEqual(['escalations']);
  });

  it('records nothing where breaks may not be skipped: the break stays due', async () => {
    expect(await closeEscalated(false)).toEqual([]);
  });
});
