/**
 * Timing for the review screen, put together: the recorder, the API and audio engine the review
 * flow is given (both recording what passes through them), the flow's breaks, and `attach`,
 * which starts listening (idle, store, audio, power) and sending. Making it has no side
 * effects, so React may make it twice.
 */
import type { ReviewerApi } from '../../shared/ipc/contract';
import type { AudioService } from '../audio/audio-port';
import type { ReviewFlow } from '../review/review-flow';
import type { AppStore } from '../store';
import { withBreaks, type BreakFlow } from './break-flow';
import { watchIdle } from './idle-watch';
import { observeReview } from './review-observer';
import { timedApi } from './timed-api';
import { timedAudio, type TimedAudio } from './timed-audio';
import { createTimingRecorder, type RecorderOptions } from './timing-recorder';

/** How often the pace panel is refreshed while a batch is open. */
export const PANEL_REFRESH_MS = 15_000;

export type TimingOptions = {
  readonly api: ReviewerApi;
  readonly store: AppStore;
  /** Clock and timers, for tests. */
  readonly recorder?: Omit<RecorderOptions, 'send'>;
  readonly window?: Window;
};

export function createTiming({ api, store, recorder: recorderOptions, window: win }: TimingOptions) {
  const recorder = createTimingRecorder({ ...recorderOptions, send: (batch) => api.timing.record(batch) });
  let audio: TimedAudio | null = null;
  let flow: BreakFlow | null = null;
  const refresh = (): Promise<void> => store.getState().timing.refresh();
  const wrappedApi = timedApi(api, recorder, {
    submitted: () => void refresh().then(() => flow?.suggestBreak()),
    escalated: () => void refresh(),
  });

  return {
    recorder,
    /** The API for the review flow. */
    api: wrappedApi,
    /** Wraps the review flow's audio engine. */
    audio(inner: AudioService): TimedAudio {
      audio = timedAudio(inner, recorder, () => {
        const panel = store.getState().review.panel;
        return panel === 'break' || panel === 'breakSuggested';
      });
      return audio;
    },
    /** Wraps the review flow with breaks recorded in main; `engine` is the flow's audio. */
    flow(inner: ReviewFlow, engine: AudioService): BreakFlow {
      flow = withBreaks(inner, store, engine);
      return flow;
    },
    /** Starts recording and sending; returns the stop, which sends what is left. */
    attach(): () => void {
      const stops = [
        audio?.attach() ?? (() => undefined),
        observeReview(store, recorder),
        watchIdle({
          recorder,
          idleSeconds: () => store.getState().settings.values.idleSeconds,
          playing: () => audio?.isPlaying() ?? false,
          onPower: (listener) => api.power.onChanged(listener),
          ...(win ? { window: win } : {}),
          ...(recorderOptions?.every ? { every: recorderOptions.every } : {}),
        }),
        recorder.start(),
      ];
      void refresh();
      return () => {
        stops.forEach((stop) => stop());
        void recorder.flush();
      };
    },
  };
}

export type Timing = ReturnType<typeof createTiming>;
