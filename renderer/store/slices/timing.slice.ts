import type { BreakTrigger, PacePanel, SuggestedBreak } from '../../../shared/domain/timing';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { AppError, Result } from '../../../shared/result';
import type { SliceCreator } from '../types';

/**
 * The reviewer's pace and breaks as main computes them: clips done, clips per hour, median
 * handle time, time to the next break, a break that is due or under way. Main holds the truth;
 * this is the last answer, refreshed after each submit and escalation and every few seconds.
 */
export type TimingSlice = {
  readonly timing: {
    readonly panel: PacePanel | null;
    readonly error: AppError | null;
    /** When the panel was last answered, on the renderer's clock. */
    readonly panelAt: number | null;
    refresh: () => Promise<void>;
    startBreak: (trigger: BreakTrigger) => Promise<void>;
    endBreak: () => Promise<void>;
    /** Records a declined suggestion. */
    skipBreak: (trigger: SuggestedBreak) => Promise<void>;
    endShift: () => Promise<void>;
  };
};

export const createTimingSlice =
  (api: ReviewerApi): SliceCreator<TimingSlice> =>
  (set, get) => {
    const after = async (call: Promise<Result<unknown>>): Promise<void> => {
      const result = await call;
      if (!result.ok) {
        set((s) => ({ timing: { ...s.timing, error: result.error } }));
      }
      await get().timing.refresh();
    };
    return {
      timing: {
        panel: null,
        error: null,
        panelAt: null,
        async refresh() {
          const result = await api.metrics.panel();
          set((s) => ({
            timing: result.ok
              ? { ...s.timing, panel: result.value, panelAt: performance.now(), error: null }
              : { ...s.timing, error: result.error },
          }));
        },
        startBreak: (trigger) => after(api.breaks.start({ trigger })),
        endBreak: () => after(api.breaks.end()),
        skipBreak: (trigger) => after(api.breaks.skip({ trigger })),
        endShift: () => after(api.shifts.end()),
      },
    };
  };
