import { describe, expect, it, vi } from 'vitest';
import type { HeldClip, OwnListenRequest } from '../../../shared/domain/hearing';
import type { AudioService } from '../../../renderer/audio/audio-port';
import type { AppStore } from '../../../renderer/store';
import { createSecondListen, estimateWindow, type HearingApi } from '../../../renderer/review/second-listen';
import { ok } from '../../../shared/result';
import type { InsertOutcome } from '../../../renderer/review/tag-insertion';
import type { TextRange } from '../../../renderer/store/slices/review.slice';
import { createFakeAudio, type FakeAudio } from '../audio/fake-audio';

const proposal: OwnListenRequest = {
  requestId: '00000000-0000-4000-8000-000000000001',
  batchId: 'b-AAAAAAAAAAAA0001',
  clipId: 'c-AAAAAAAAAAAA0001',
  span: { start: 4, end: 9 },
  window: { startMs: 0, endMs: 900 },
  state: 'answered',
  createdAt: 1,
  expiresAt: 2,
  helper: 'rv-b',
  proposal: 'forty',
};

describe('second listen in the review flow', () => {
  it('estimates the stretch of audio from where the span sits in the transcript, widened and clamped', () => {
    expect(estimateWindow({ start: 50, end: 60 }, 100, 4_000)).toEqual({ startMs: 1_250, endMs: 3_150 });
    expect(estimateWindow({ start: 0, end: 100 }, 100, 4_000)).toEqual({ startMs: 0, endMs: 4_000 });
  });

  it('accepts a proposal by replacing its span, then tells main; a box that refuses it sends nothing', async () => {
    const decide = vi.fn(() => Promise.resolve(ok(null)));
    const api = { listen: { decide } } as unknown as HearingApi;
    const replace = vi.fn<(range: TextRange, text: string) => InsertOutcome>(() => 'inserted');
    const flow = createSecondListen({
      store: {} as AppStore,
      api,
      selected: () => null,
      replace,
      createPlayer: () => ({}) as AudioService,
      reviewAudio: { pause: () => undefined },
    });
    expect(await flow.accept(proposal)).toEqual(ok('inserted'));
    expect(replace).toHaveBeenCalledWith({ start: 4, end: 9 }, 'forty');
    expect(decide).toHaveBeenCalledWith({ requestId: proposal.requestId, decision: 'accepted' });

    replace.mockReturnValue('tooLong');
    decide.mockClear();
    expect(await flow.accept(proposal)).toEqual(ok('tooLong'));
    expect(decide).not.toHaveBeenCalled();
  });

  /** A review player playing its clip, and a held player that opens through the hearing API. */
  async function playingReview() {
    const clip = { batchId: 'b-AAAAAAAAAAAA0001', clipId: 'c-AAAAAAAAAAAA0001' };
    const review = createFakeAudio(() =>
      Promise.resolve(
        ok({
          id: clip.clipId,
          batchId: clip.batchId,
          codec: 'wav',
          durationMs: 4_000,
          asrText: '',
          hints: null,
          audio: new Uint8Array(8),
        }),
      ),
    );
    await review.open(clip);
    review.select(clip.clipId);
    review.play();
    expect(review.playing).toBe(true);
    const held: HeldClip = {
      holdId: '00000000-0000-4000-8000-00000000000a',
      kind: 'escalation',
      clipId: 'c-AAAAAAAAAAAA0009',
      durationMs: 5_000,
      // Far in the future: the hold never runs out while the test runs, however slowly.
      expiresAt: Date.UTC(2100, 0, 1),
      window: null,
    };
    const api = {
      hearing: {
        escalation: vi.fn(() => Promise.resolve(ok(held))),
        open: vi.fn(() => Promise.resolve(ok({ ...held, codec: 'wav' as const, audio: new Uint8Array(8) }))),
        release: vi.fn(() => Promise.resolve(ok(null))),
      },
      listen: { take: vi.fn(() => Promise.resolve(ok({ ...held, kind: 'second_listen' as const }))) },
    } as unknown as HearingApi;
    let heldAudio: FakeAudio | undefined;
    const flow = createSecondListen({
      store: {} as AppStore,
      api,
      selected: () => null,
      replace: () => 'inserted',
      createPlayer: (openClip) => (heldAudio = createFakeAudio(openClip)),
      reviewAudio: review,
    });
    return { review, held, flow, heldAudio: () => heldAudio };
  }

  it('pauses the review player when an escalated clip is opened to be heard, and leaves it paused after', async () => {
    const { review, held, flow, heldAudio } = await playingReview();
    const reviewCalls = review.calls.length;
    expect(await flow.hearEscalation('op-1')).toEqual(ok(held));
    expect(review.playing).toBe(false);
    expect(heldAudio()?.selected).toBe(held.holdId);
    flow.player.play();
    expect(heldAudio()?.playing).toBe(true);
    await flow.release(held.holdId);
    expect(heldAudio()?.playing).toBe(false);
    // Paused, never played again by the held clip's coming or going.
    expect(review.playing).toBe(false);
    expect(review.calls.slice(reviewCalls).filter((c) => c !== 'pause')).toEqual([]);
  });

  it('pauses the review player when a taken request’s clip is opened, and when the held clip is played', async () => {
    const { review, flow, heldAudio } = await playingReview();
    expect((await flow.take('00000000-0000-4000-8000-000000000003')).ok).toBe(true);
    expect(review.playing).toBe(false);
    // The reviewer plays the review clip again, then starts the held one: the review clip pauses.
    review.play();
    expect(review.playing).toBe(true);
    flow.player.replay();
    expect(heldAudio()?.playing).toBe(true);
    expect(review.playing).toBe(false);
    review.play();
    flow.player.pause();
    flow.player.toggle();
    expect([heldAudio()?.playing, review.playing]).toEqual([true, false]);
  });
});
