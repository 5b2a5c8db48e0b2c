/**
 * Timing for the review screen, put together from the audio engine it is given: the recorder,
 * the API and audio engine the review flow is to be given (both recording what passes through
 * them), the flow's breaks, and `attach`, which starts listening (idle, store, audio, power) and
 * sending. Everything is built at once, so nothing depends on which call came first. Making it
 * has no side effects, so React may make it twice.
 */
import type { ReviewerApi } from '../../shared/ipc/contract';
import type { AudioService } from '../audio/audio-port';
import type { BreakActions, ReviewFlowApi } from '../review/review-ports';
import type { AppStore } from '../store';
import { createBreaks } from './break-flow';
import { watchIdle } from './idle-watch';
import { observeReview } from './review-observer';
import { timedApi } from './timed-api';
import { timedAudio, type TimedAudio } from './timed-audio';
import { createTimingRecorder, type RecorderOptions, type TimingRecorder } from './timing-recorder';

/** How often the pace panel is refreshed while a batch is open. */
export const PANEL_REFRESH_MS = 15_000;

export type TimingOptions = {
  readonly api: ReviewerApi;
  readonly store: AppStore;
  /** The audio engine the review flow is to play through; wrapped, never used bare. */
  readonly audio: AudioService;
  /** Clock and timers, for tests. */
  readonly recorder?: Omit<RecorderOptions, 'send'>;
  readonly window?: Window;
};

export type Timing = {
  readonly recorder: TimingRecorder;
  /** The API for the review flow. */
  readonly api: ReviewFlowApi;
  /** The audio engine for the review flow. */
  readonly audio: TimedAudio;
  /** The review flow's breaks, recorded in main, on the same audio engine. */
  readonly breaks: BreakActions;
  /** Starts recording and sending; returns the stop, which sends what is left. */
  attach(): () => void;
};

export function createTiming({
  api,
  store,
  audio: engine,
  recorder: recorderOptions,
  window: win,
}: TimingOptions): Timing {
  const recorder = createTimingRecorder({ ...recorderOptions, send: (batch) => api.timing.record(batch) });
  const refresh = (): Promise<void> => store.getState().timing.refresh();
  // While a break is taken or offered, nothing starts playing.
  const audio = timedAudio(engine, recorder, () => {
    const panel = store.getState().review.panel;
    return panel === 'break' || panel === 'breakSuggested';
  });
  const breaks = createBreaks({ store, audio });

  return {
    recorder,
    api: timedApi(api, recorder, {
      submitted: () => void refresh().then(() => breaks.suggest()),
      escalated: () => void refresh(),
    }),
    audio,
    breaks,
    attach(): () => void {
      const stops = [
        audio.attach(),
        observeReview(store, recorder),
        watchIdle({
          recorder,
          idleSeconds: () => store.getState().settings.values.idleSeconds,
          playing: () => audio.isPlaying(),
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
