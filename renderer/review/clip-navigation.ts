/**
 * Moving through a batch: opening it where the reviewer left it, going from clip to clip,
 * submitting and moving on, closing it. The next clips (audio and saved work) are fetched ahead,
 * so moving on after a submit waits on neither IPC nor decoding.
 */
import type { ClipWork } from '../../shared/domain/annotation';
import type { ClipRef, RequestOf } from '../../shared/ipc/contract';
import { ok, type AppError, type Result } from '../../shared/result';
import type { AudioService, ClipInfo } from '../audio/audio-port';
import type { AppStore } from '../store';
import type { SubmittedClip } from '../store/slices/review.slice';
import type { AfterPaint } from './after-paint';
import { createClipPlace } from './clip-place';
import { submitGuard } from './submit-guard';
import type { DraftSaver } from './draft-saver';
import { bodyOf, clipRefAt, nextUnsubmitted, startIndex, startingWork, type StartingWork } from './opened-work';
import { markStart, measureFrom } from './perf-marks';
import type { ReviewFlowApi } from './review-ports';
import { submitStage, type RefusedSubmitRetry } from './submit-retry';
import { createWithdrawnClips } from './withdrawn-clips';
import { createWorkAhead } from './work-ahead';

type SubmitRequest = RequestOf<'annotations:submit'>;

/** How many clips after the open one are kept opened, decoded and loaded. */
export const PREFETCH_AHEAD = 3;

export type ClipNavigationOptions = {
  readonly api: ReviewFlowApi;
  readonly store: AppStore;
  readonly audio: AudioService;
  /** The open clip's draft saves. */
  readonly saver: DraftSaver;
  /** Queues a draft save of the open clip's current work. */
  readonly saveDraft: () => void;
  /** When background work may start after a clip is shown. */
  readonly afterPaint: AfterPaint;
  /** Tries a submit the disk refused again on its own (submit-retry.ts). */
  readonly retry: Pick<RefusedSubmitRetry, 'retryLater' | 'cancel'>;
};

export function createClipNavigation(options: ClipNavigationOptions) {
  const { api, store, audio, saver, saveDraft, afterPaint, retry } = options;
  const review = () => store.getState().review;
  const player = () => store.getState().player;
  const settings = () => store.getState().settings.values;
  /** Bumped on every navigation, so a slow answer for a clip already left is dropped. */
  let generation = 0;
  const refAt = (index: number): ClipRef | null => clipRefAt(review(), index);
  const place = createClipPlace(api);
  const withdrawn = createWithdrawnClips(api, store, audio);

  /**
   * Submits go out one at a time, each after the drafts saved before it, while the reviewer is
   * already on the next clip. Settles (never rejects) once the last one issued has landed.
   */
  let submits: Promise<unknown> = Promise.resolve();
  const allSettled = (): Promise<void> => Promise.all([saver.settled(), submits]).then(() => undefined);
  // Saved work is read after pending drafts and submits land, so it is never older than what was typed.
  const workAhead = createWorkAhead((ref) => allSettled().then(() => api.annotations.work(ref)));
  /**
   * The clip and its saved work at once, when both were fetched ahead and have arrived. Opening
   * the next clip then happens in the same task as the submit, so React draws the switch in one
   * render instead of two, with no round of promise callbacks between them.
   */
  const readyNow = (ref: ClipRef): [Result<ClipInfo>, Result<ClipWork>] | null => {
    const work = workAhead.peek(ref);
    const clip = work ? audio.openNow(ref) : null;
    if (!work || !clip) {
      return null;
    }
    workAhead.forget(ref.clipId);
    return [ok(clip), work];
  };

  const fetchAhead = (index: number): void => {
    const next = Array.from({ length: PREFETCH_AHEAD }, (_, i) => refAt(index + 1 + i)).filter(withdrawn.usable);
    const previous = refAt(index - 1);
    audio.prefetch(withdrawn.usable(previous) ? [...next, previous] : next);
    workAhead.keepOnly(next);
  };

  /** Opens the clip at `index`; `restore` puts given work in its editor instead of the saved work. */
  const goTo = async (index: number, restore?: StartingWork): Promise<void> => {
    const ref = refAt(index);
    if (!ref) {
      return;
    }
    const mine = (generation += 1);
    saver.flush();
    if (withdrawn.has(ref.clipId)) {
      withdrawn.show(index);
      return;
    }
    const [clip, work] = readyNow(ref) ?? (await Promise.all([audio.open(ref), workAhead.take(ref)]));
    if (mine !== generation) {
      return;
    }
    const refusal = !clip.ok ? clip.error : !work.ok ? work.error : null;
    if (refusal?.code === 'CONSENT_WITHDRAWN') {
      withdrawn.add(ref.clipId);
      withdrawn.show(index, refusal);
      return;
    }
    if (!clip.ok) {
      review().failed(clip.error);
      return;
    }
    // Work being restored needs nothing from main.
    const start = restore ?? (work.ok ? startingWork(work.value, clip.value.asrText, settings().prefill) : null);
    if (!start) {
      review().failed(work.ok ? null : work.error);
      return;
    }
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
    if (settings().autoplay) {
      audio.play();
    }
    // Prefetching (IPC answers, blobs, media elements, decoding) waits until this clip is painted.
    place.shown(ref);
    afterPaint(() => {
      if (mine === generation) {
        fetchAhead(index);
        place.save();
      }
    });
  };

  /** A submit the reviewer already moved on from was refused: back to that clip, as submitted. */
  const refused = async (request: SubmitRequest, previous: SubmittedClip | null, error: AppError): Promise<void> => {
    review().unmarkSubmitted(request.clipId, previous);
    const index = review().clips.findIndex((c) => c.id === request.clipId);
    if (index < 0) {
      return;
    }
    const { body, disposition, basedOnRevision } = request;
    await goTo(index, { body, disposition, basedOnRevision, fromDraft: false });
    review().failed(error, submitStage(error));
    retry.retryLater(request, error);
    // Kept as a draft at once: the work must outlive even a window closed right now. A conflict
    // is the exception: a newer revision exists, and a draft on the old one would be refused too.
    if (error.code !== 'CONFLICT') {
      saveDraft();
      saver.flush();
    }
  };

  const submitAndNext = async (): Promise<void> => {
    const s = review();
    const ref = refAt(s.index);
    if (!s.clip || s.submitting || s.loading || !ref || s.clip.id !== ref.clipId) {
      return;
    }
    const guard = submitGuard(s, settings());
    if (guard !== null) {
      s.setNotice(guard);
      return;
    }
    markStart('clip-switch');
    retry.cancel();
    // What is on screen is what is submitted: a draft of it still waiting is superseded.
    saver.cancel();
    const request: SubmitRequest = {
      ...ref,
      basedOnRevision: s.basedOnRevision,
      disposition: s.disposition,
      body: bodyOf(s.body),
    };
    const previous = s.submitted.find((c) => c.clipId === ref.clipId) ?? null;
    const landed = submits.then(() => saver.settled()).then(() => api.annotations.submit(request));
    submits = landed.catch(() => undefined);
    review().markSubmitted({ clipId: ref.clipId, revision: s.basedOnRevision + 1, disposition: s.disposition });
    const next = nextUnsubmitted(review().clips, review().submitted, s.index);

    if (next === null) {
      // The batch's last clip: there is nothing to move on to, so the answer is awaited here.
      s.setSubmitting(true);
      const result = await landed;
      review().setSubmitting(false);
      if (!result.ok) {
        review().unmarkSubmitted(ref.clipId, previous);
        review().failed(result.error, submitStage(result.error));
        retry.retryLater(request, result.error);
        return;
      }
      review().markSubmitted({
        clipId: ref.clipId,
        revision: result.value.revision,
        disposition: result.value.disposition,
      });
      review().revised(result.value.revision);
      review().setNotice('batchDone');
      // The end of a batch is a moment of its own: a summary, with the next batch one key away.
      review().setPanel('batchDone');
      audio.pause();
      return;
    }

    void landed.then((result) => {
      if (review().batchId !== request.batchId) {
        return undefined;
      }
      if (!result.ok) {
        return refused(request, previous, result.error);
      }
      review().markSubmitted({
        clipId: ref.clipId,
        revision: result.value.revision,
        disposition: result.value.disposition,
      });
      return undefined;
    });
    await goTo(next);
    measureFrom('clip-switch');
  };

  return {
    async openBatch(batchId: string): Promise<void> {
      const mine = (generation += 1);
      place.save();
      retry.cancel();
      saver.flush();
      audio.clear();
      workAhead.clear();
      withdrawn.clear();
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
      place.save();
      retry.cancel();
      saver.flush();
      audio.clear();
      workAhead.clear();
      review().closed();
      player().clipChanged(null);
    },

    /**
     * Main erased clips of the open batch (consent withdrawn): they leave the caches, and if the
     * open clip is one of them its place shows why at once. Its unsent work is gone in main too.
     */
    async consentWithdrawn(): Promise<void> {
      const batchId = review().batchId;
      if (batchId === null || !(await withdrawn.refresh(batchId))) {
        return;
      }
      workAhead.keepOnly([]);
      const open = review().clip;
      if (open && withdrawn.has(open.id)) {
        generation += 1;
        saver.cancel();
        audio.pause();
        withdrawn.show(review().index);
      }
      // Releases the audio of every withdrawn clip the cache still held.
      fetchAhead(review().index);
    },

    goTo,
    next: () => goTo(review().index + 1),
    previous: () => goTo(review().index - 1),
    submitAndNext,
    /** Resolves once every draft save and submit issued so far has landed (tests, closing). */
    draftsSettled: allSettled,
  };
}

export type ClipNavigation = ReturnType<typeof createClipNavigation>;
