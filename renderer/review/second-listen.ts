/**
 * Hearing one clip held apart (an escalation a supervisor asked to hear, a teammate's request),
 * and the reviewer's side of a second listen: ask the team about the selected words, see what a
 * teammate proposes, accept it into the span (one edit the box's undo takes back) or ignore it.
 *
 * The stretch of audio a helper hears highlighted is estimated from where the span sits in the
 * transcript (words run roughly evenly through a short clip), widened a little on both sides.
 */
import type { HeldClip, ListenQueueItem, OwnListenRequest } from '../../shared/domain/hearing';
import type { OpenedClip } from '../../shared/domain/clip';
import type { ClipRef, ReviewerApi } from '../../shared/ipc/contract';
import { err, ok, type Result } from '../../shared/result';
import type { AudioService } from '../audio/audio-port';
import type { AppStore } from '../store';
import type { TextRange } from '../store/slices/review.slice';
import { loadedClipRef } from './opened-work';
import type { InsertOutcome } from './tag-insertion';

/** How far the estimated stretch reaches past the span on each side. */
export const WINDOW_MARGIN_MS = 750;

/** The part of the reviewer API this facet calls. */
export type HearingApi = {
  readonly hearing: ReviewerApi['hearing'];
  readonly listen: ReviewerApi['listen'];
};

export type SecondListenOptions = {
  readonly store: AppStore;
  /** Absent in a window without a service (tests, demo): every call answers UNAVAILABLE. */
  readonly api: HearingApi | undefined;
  readonly selected: () => TextRange | null;
  readonly replace: (range: TextRange, text: string) => InsertOutcome;
  /** Makes the protected player for held clips, given how to open one (`clipId` is the hold id). */
  readonly createPlayer: (openClip: (ref: ClipRef) => Promise<Result<OpenedClip>>) => AudioService;
  /** The review screen's player: it pauses while a held clip is heard, and stays paused after. */
  readonly reviewAudio: Pick<AudioService, 'pause'>;
};

/** The stretch of the clip's audio that a span of its transcript most likely covers. */
export function estimateWindow(span: TextRange, textLength: number, durationMs: number) {
  const at = (offset: number): number => Math.round((offset / Math.max(1, textLength)) * durationMs);
  const startMs = Math.max(0, at(span.start) - WINDOW_MARGIN_MS);
  const endMs = Math.min(durationMs, at(span.end) + WINDOW_MARGIN_MS);
  return { startMs, endMs: Math.max(endMs, startMs + 1) };
}

/** What the held player calls the batch of every held clip: they stand apart from the batches. */
const HELD_BATCH = 'held';

const unavailable = () => err('UNAVAILABLE', 'No annotation service is configured on this workstation.');

export function createSecondListen(o: SecondListenOptions) {
  const review = () => o.store.getState().review;
  const heldPlayer = o.createPlayer(async ({ clipId: holdId }) => {
    if (!o.api) {
      return unavailable();
    }
    const heard = await o.api.hearing.open({ holdId });
    if (!heard.ok) {
      return heard;
    }
    const { codec, durationMs, audio } = heard.value;
    // No recognizer text or hints: the listener hears the audio and nothing else of the clip.
    return ok({ id: holdId, batchId: HELD_BATCH, codec, durationMs, asrText: '', hints: null, audio });
  });
  // Two clips heard over each other are heard badly: whatever starts the held clip stops the
  // review clip first. It is paused, not stopped, and the reviewer resumes it when they choose.
  const player: AudioService = {
    ...heldPlayer,
    play: () => {
      o.reviewAudio.pause();
      heldPlayer.play();
    },
    toggle: () => {
      o.reviewAudio.pause();
      heldPlayer.toggle();
    },
    replay: () => {
      o.reviewAudio.pause();
      heldPlayer.replay();
    },
  };

  return {
    /** The protected player that plays held clips (not the review screen's). */
    player,

    /** Asks the team about the selected words of the open clip; false with nothing selected. */
    async ask(): Promise<Result<{ readonly requestId: string }> | null> {
      const span = o.selected();
      const ref = loadedClipRef(review());
      const clip = review().clip;
      if (!span || !ref || !clip) {
        review().setNotice('noSelection');
        return null;
      }
      if (!o.api) {
        return unavailable();
      }
      const window = estimateWindow(span, review().body.transcript.length, clip.durationMs);
      return o.api.listen.ask({ ...ref, span, window });
    },

    /** The account's own requests as main last fetched them (no request to the service). */
    own: (): Promise<Result<readonly OwnListenRequest[]>> => (o.api ? o.api.listen.mine() : Promise.resolve(ok([]))),

    /** Calls `listener` whenever a sync cycle brought a change to the own requests. */
    onChanged: (listener: () => void): (() => void) => o.api?.listen.onChanged(listener) ?? (() => undefined),

    /** Puts the proposal in place of its span (undoable), then tells the service. */
    async accept(r: OwnListenRequest): Promise<Result<InsertOutcome>> {
      if (!o.api) {
        return unavailable();
      }
      const outcome = o.replace(r.span, r.proposal ?? '');
      if (outcome !== 'inserted') {
        return ok(outcome);
      }
      const decided = await o.api.listen.decide({ requestId: r.requestId, decision: 'accepted' });
      return decided.ok ? ok(outcome) : decided;
    },

    ignore: async (r: OwnListenRequest): Promise<Result<null>> =>
      o.api ? o.api.listen.decide({ requestId: r.requestId, decision: 'ignored' }) : unavailable(),

    /** Fetches an escalated clip for this device and makes it the held player's clip. */
    async hearEscalation(opId: string): Promise<Result<HeldClip>> {
      if (!o.api) {
        return unavailable();
      }
      const held = await o.api.hearing.escalation({ opId });
      return held.ok ? load(held.value) : held;
    },

    /** The team help queue: teammates' open requests and those this account took, oldest first. */
    queue: (): Promise<Result<readonly ListenQueueItem[]>> =>
      o.api ? o.api.listen.queue() : Promise.resolve(unavailable()),

    /** Sends the proposal for a request this account took; main erases the held clip once it is sent. */
    async propose(requestId: string, text: string): Promise<Result<null>> {
      if (!o.api) {
        return unavailable();
      }
      player.clear();
      return o.api.listen.propose({ requestId, text });
    },

    /** Takes a teammate's request and makes its clip the held player's clip. */
    async take(requestId: string): Promise<Result<HeldClip>> {
      if (!o.api) {
        return unavailable();
      }
      const held = await o.api.listen.take({ requestId });
      return held.ok ? load(held.value) : held;
    },

    /** Stops the held player and erases the held clip in main. */
    async release(holdId: string): Promise<void> {
      player.clear();
      await o.api?.hearing.release({ holdId });
    },
  };

  async function load(held: HeldClip): Promise<Result<HeldClip>> {
    const opened = await player.open({ batchId: HELD_BATCH, clipId: held.holdId });
    if (!opened.ok) {
      return opened;
    }
    o.reviewAudio.pause();
    player.select(held.holdId);
    return ok(held);
  }
}

export type SecondListen = ReturnType<typeof createSecondListen>;

/** The proposals that wait for a decision on one clip, oldest first. */
export function proposalsFor(
  own: readonly OwnListenRequest[],
  clip: { readonly batchId: string; readonly clipId: string } | null,
): readonly OwnListenRequest[] {
  return clip
    ? own.filter((r) => r.batchId === clip.batchId && r.clipId === clip.clipId && r.state === 'answered').toReversed()
    : [];
}
