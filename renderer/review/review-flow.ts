/**
 * The review flow: the only place that drives both the store and the audio service; components
 * and hotkeys call it. It is made of named facets, each built once here from what it needs:
 * `clips` (opening a batch, moving between clips, submitting), `editor` (the transcript and the
 * disposition), `player`, `tags` (spans of the transcript), `insertion` (tags typed in at the
 * caret), `panels` (dialogs over the clip) and `breaks` (given, as renderer/timing records them).
 */
import type { Disposition } from '../../shared/domain/annotation';
import type { AudioService } from '../audio/audio-port';
import type { AppStore } from '../store';
import { afterNextPaint, type AfterPaint } from './after-paint';
import { createClipNavigation } from './clip-navigation';
import { createDraftSaver, DRAFT_DEBOUNCE_MS } from './draft-saver';
import { bodyOf, clipRefAt, loadedClipRef } from './opened-work';
import { createPanels } from './review-panels';
import type { BreakActions, ReviewFlowApi } from './review-ports';
import { createSpanTags } from './span-tags';
import { createRefusedSubmitRetry, type RetryTimers } from './submit-retry';
import { createTagInsertion } from './tag-insertion';
import { createSecondListen, type HearingApi, type SecondListenOptions } from './second-listen';
import { createAudioService } from '../audio/audio-service';

export type ReviewFlowOptions = {
  readonly api: ReviewFlowApi;
  readonly store: AppStore;
  readonly audio: AudioService;
  /** Breaks, built on the same audio engine (renderer/timing/break-flow.ts). */
  readonly breaks: BreakActions;
  readonly draftDelayMs?: number;
  /** When background work may start after a clip is shown; after the next paint by default. */
  readonly afterPaint?: AfterPaint;
  /** What a submit the disk refused waits on before it is tried again; real timers by default. */
  readonly retryTimers?: RetryTimers;
  /** Hearing held clips and the second listen; without it they answer UNAVAILABLE. */
  readonly hearing?: HearingApi;
  /** Makes the protected player for held clips; the Howler-backed engine by default. */
  readonly createHeldPlayer?: SecondListenOptions['createPlayer'];
};

export function createReviewFlow({
  api,
  store,
  audio,
  breaks,
  draftDelayMs = DRAFT_DEBOUNCE_MS,
  afterPaint = afterNextPaint,
  retryTimers,
  hearing,
  createHeldPlayer = (openClip) => createAudioService({ openClip }),
}: ReviewFlowOptions) {
  const review = () => store.getState().review;
  const player = () => store.getState().player;
  const settings = () => store.getState().settings.values;
  const isOpen = (clipId: string): boolean => review().clip?.id === clipId;

  const saver = createDraftSaver(
    (job) =>
      api.annotations.saveDraft({
        ...job.ref,
        basedOnRevision: job.basedOnRevision,
        body: job.body,
        disposition: job.disposition,
      }),
    (job, status, error) => {
      if (isOpen(job.ref.clipId)) {
        review().setSaveStatus(status);
        if (error) {
          review().failed(error, 'save');
        }
      }
    },
    draftDelayMs,
  );
  const saveDraft = (): void => {
    const s = review();
    const ref = clipRefAt(s, s.index);
    if (ref && s.clip?.id === ref.clipId) {
      saver.schedule({ ref, basedOnRevision: s.basedOnRevision, body: bodyOf(s.body), disposition: s.disposition });
    }
  };

  const retry = createRefusedSubmitRetry({
    timers: retryTimers,
    review,
    // After every draft and submit issued before it, as the reviewer's own submit goes.
    submit: (request) => clips.draftsSettled().then(() => api.annotations.submit(request)),
  });
  const clips = createClipNavigation({ api, store, audio, saver, saveDraft, afterPaint, retry });
  const tags = createSpanTags({ store, saveDraft });
  const insertion = createTagInsertion(store);

  return {
    /** Reports playback into the store and keeps the audio settings in step; returns the undo. */
    attach(): () => void {
      audio.setRate(player().rate);
      audio.setAutoBackstep(settings().autoBackstepMs);
      const stopAudio = audio.listen({
        playing: (playing) => player().setPlaying(playing),
        position: (ms) => player().setPosition(ms),
        heardInFull: (clipId) => (isOpen(clipId) ? review().heard() : undefined),
        peaks: (clipId, peaks) => (isOpen(clipId) ? player().setPeaks(peaks) : undefined),
        failed: (clipId, message) => (isOpen(clipId) ? review().failed({ code: 'UNAVAILABLE', message }) : undefined),
      });
      const stopStore = store.subscribe((s, prev) => {
        if (s.player.rate !== prev.player.rate) {
          audio.setRate(s.player.rate);
        }
        if (s.settings.values.autoBackstepMs !== prev.settings.values.autoBackstepMs) {
          audio.setAutoBackstep(s.settings.values.autoBackstepMs);
        }
        // Main erased clips of the open batch (consent withdrawn): it says so in the batch's counts.
        const withdrawnIn = (items: typeof s.batches.items): number | undefined =>
          items.find((b) => b.id === s.review.batchId)?.withheld.consentWithdrawn;
        if (
          s.batches.items !== prev.batches.items &&
          withdrawnIn(s.batches.items) !== withdrawnIn(prev.batches.items)
        ) {
          void clips.consentWithdrawn();
        }
      });
      return () => {
        stopAudio();
        stopStore();
      };
    },

    clips,

    editor: {
      edit(transcript: string): void {
        review().edited(transcript);
        saveDraft();
      },
      /** A chosen disposition is part of the draft, so it survives a reload before the submit. */
      setDisposition(disposition: Disposition): void {
        review().setDisposition(disposition);
        saveDraft();
      },
    },

    player: {
      togglePlay: (): void => audio.toggle(),
      replay: (): void => audio.replay(),
      skip: (deltaMs: number): void => audio.skip(deltaMs),
      stepRate: (direction: -1 | 1): number => player().stepRate(direction),
    },

    tags,
    insertion,
    secondListen: createSecondListen({
      store,
      api: hearing,
      selected: () => tags.selected(),
      replace: (range, text) => insertion.replaceRange(range, text),
      createPlayer: createHeldPlayer,
      reviewAudio: audio,
    }),
    panels: createPanels({ api, store, audio, breaks, openRef: () => loadedClipRef(review()) }),
    breaks,
  };
}

export type ReviewFlow = ReturnType<typeof createReviewFlow>;
