/**
 * The review flow: opens a batch where the reviewer left it, moves between clips, saves drafts,
 * submits and moves on. It is the only place that drives both the store and the audio service;
 * components and hotkeys call it. The next clips (audio and saved work) are fetched ahead, so
 * moving on after a submit waits on neither IPC nor decoding.
 */
import type { ClipWork, Disposition } from '../../shared/domain/annotation';
import type { ClipRef, ReviewerApi } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';
import type { AudioService } from '../audio/audio-port';
import type { AppStore } from '../store';
import { createDraftSaver, DRAFT_DEBOUNCE_MS } from './draft-saver';
import { bodyOf, nextUnsubmitted, startIndex, startingWork } from './opened-work';
import { createPanelActions } from './review-panels';

/** How many clips after the open one are kept opened, decoded and loaded. */
export const PREFETCH_AHEAD = 3;

export type ReviewFlowOptions = {
  readonly api: ReviewerApi;
  readonly store: AppStore;
  readonly audio: AudioService;
  readonly draftDelayMs?: number;
};

export function createReviewFlow({ api, store, audio, draftDelayMs = DRAFT_DEBOUNCE_MS }: ReviewFlowOptions) {
  const review = () => store.getState().review;
  const player = () => store.getState().player;
  const workAhead = new Map<string, Promise<Result<ClipWork>>>();
  /** Bumped on every navigation, so a slow answer for a clip already left is dropped. */
  let generation = 0;

  const isOpen = (clipId: string): boolean => review().clip?.id === clipId;
  const refAt = (index: number): ClipRef | null => {
    const { batchId, clips } = review();
    const clip = clips[index];
    return batchId !== null && clip ? { batchId, clipId: clip.id } : null;
  };

  const saver = createDraftSaver(
    (job) => api.annotations.saveDraft({ ...job.ref, basedOnRevision: job.basedOnRevision, body: job.body, disposition: job.disposition }),
    (job, status, error) => {
      if (isOpen(job.ref.clipId)) {
        review().setSaveStatus(status);
        if (error) {
          review().failed(error);
        }
      }
    },
    draftDelayMs,
  );

  const openRef = (): ClipRef | null => {
    const s = review();
    const ref = refAt(s.index);
    return ref && s.clip?.id === ref.clipId && !s.loading ? ref : null;
  };
  const scheduleDraft = (): void => {
    const s = review();
    const ref = refAt(s.index);
    if (ref && s.clip?.id === ref.clipId) {
      saver.schedule({ ref, basedOnRevision: s.basedOnRevision, body: bodyOf(s.body), disposition: s.disposition });
    }
  };
  const panels = createPanelActions({ api, store, audio, openRef, saveDraft: scheduleDraft });

  // Saved work is read after pending drafts land, so it is never older than what was typed.
  const fetchWork = (ref: ClipRef) => saver.settled().then(() => api.annotations.work(ref));
  const takeWork = (ref: ClipRef) => {
    const ahead = workAhead.get(ref.clipId);
    workAhead.delete(ref.clipId);
    return ahead ?? fetchWork(ref);
  };

  const fetchAhead = (index: number): void => {
    const next = Array.from({ length: PREFETCH_AHEAD }, (_, i) => refAt(index + 1 + i)).filter((r) => r !== null);
    const previous = refAt(index - 1);
    audio.prefetch(previous ? [...next, previous] : next);
    for (const id of [...workAhead.keys()]) {
      if (!next.some((r) => r.clipId === id)) {
        workAhead.delete(id);
      }
    }
    for (const ref of next) {
      if (!workAhead.has(ref.clipId)) {
        workAhead.set(ref.clipId, fetchWork(ref));
      }
    }
  };

  const goTo = async (index: number): Promise<void> => {
    const ref = refAt(index);
    if (!ref) {
      return;
    }
    const mine = (generation += 1);
    saver.flush();
    const [clip, work] = await Promise.all([audio.open(ref), takeWork(ref)]);
    if (mine !== generation) {
      return;
    }
    if (!clip.ok || !work.ok) {
      review().failed(clip.ok ? (work.ok ? null : work.error) : clip.error);
      return;
    }
    const start = startingWork(work.value, clip.value.asrText, review().prefill);
    audio.select(ref.clipId);
    player().clipChanged(audio.peaks(ref.clipId));
    review().clipOpened({
      index,
      clip: clip.value,
      body: start.body,
      disposition: start.disposition,
      basedOnRevision: start.basedOnRevision,
      heardInFull: start.basedOnRevision > 0 || audio.heardInFull(ref.clipId),
      saveStatus: start.fromDraft ? 'saved' : 'idle',
    });
    if (player().autoplay) {
      audio.play();
    }
    fetchAhead(index);
    void api.review.setPosition(ref);
  };

  const submitAndNext = async (): Promise<void> => {
    const before = review();
    if (!before.clip || before.submitting || before.loading) {
      return;
    }
    if (before.requireHeardInFull && !before.heardInFull) {
      before.setNotice('notHeard');
      return;
    }
    before.setSubmitting(true);
    saver.cancel();
    await saver.settled();
    saver.cancel();
    const s = review();
    const ref = refAt(s.index);
    if (!ref || !s.clip || s.clip.id !== ref.clipId) {
      s.setSubmitting(false);
      return;
    }
    const result = await api.annotations.submit({ ...ref, basedOnRevision: s.basedOnRevision, disposition: s.disposition, body: bodyOf(s.body) });
    review().setSubmitting(false);
    // Anything typed while the submit was on its way was based on the old revision.
    saver.cancel();
    if (!result.ok) {
      review().failed(result.error);
      return;
    }
    const { revision, disposition } = result.value;
    review().markSubmitted({ clipId: ref.clipId, revision, disposition });
    const next = nextUnsubmitted(review().clips, review().submitted, s.index);
    if (next === null) {
      review().revised(revision);
      review().setNotice('batchDone');
      audio.pause();
      return;
    }
    await goTo(next);
  };

  return {
    /** Reports playback into the store and keeps the audio settings in step; returns the undo. */
    attach(): () => void {
      audio.setRate(player().rate);
      audio.setAutoBackstep(player().autoBackstep);
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
        if (s.player.autoBackstep !== prev.player.autoBackstep) {
          audio.setAutoBackstep(s.player.autoBackstep);
        }
      });
      return () => {
        stopAudio();
        stopStore();
      };
    },

    async openBatch(batchId: string): Promise<void> {
      const mine = (generation += 1);
      saver.flush();
      audio.clear();
      workAhead.clear();
      review().opening(batchId);
      player().clipChanged(null);
      const [state, list] = await Promise.all([api.review.state({ batchId }), api.clips.list({ batchId })]);
      if (mine !== generation) {
        return;
      }
      if (!state.ok || !list.ok) {
        review().failed(state.ok ? (list.ok ? null : list.error) : state.error);
        return;
      }
      const clips = list.value.filter((c) => c.state === 'ready').sort((a, b) => a.ordinal - b.ordinal);
      review().batchLoaded(clips, state.value.submitted);
      if (clips.length === 0) {
        review().failed(null);
        return;
      }
      await goTo(startIndex(clips, state.value));
    },

    close(): void {
      generation += 1;
      saver.flush();
      audio.clear();
      workAhead.clear();
      review().closed();
      player().clipChanged(null);
    },

    goTo,
    next: () => goTo(review().index + 1),
    previous: () => goTo(review().index - 1),
    submitAndNext,

    edit(transcript: string): void {
      review().edited(transcript);
      scheduleDraft();
    },

    /** A chosen disposition is part of the draft, so it survives a reload before the submit. */
    setDisposition(disposition: Disposition): void {
      review().setDisposition(disposition);
      scheduleDraft();
    },
    ...panels,
    togglePlay: (): void => audio.toggle(),
    replay: (): void => audio.replay(),
    skip: (deltaMs: number): void => audio.skip(deltaMs),
    stepRate: (direction: -1 | 1): number => player().stepRate(direction),
    /** Resolves once every draft save issued so far has landed (tests, closing). */
    draftsSettled: (): Promise<void> => saver.settled(),
  };
}

export type ReviewFlow = ReturnType<typeof createReviewFlow>;
