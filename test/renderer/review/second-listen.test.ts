import { describe, expect, it, vi } from 'vitest';
import type { OwnListenRequest } from '../../../shared/domain/hearing';
import type { AudioService } from '../../../renderer/audio/audio-port';
import type { AppStore } from '../../../renderer/store';
import { createSecondListen, estimateWindow, type HearingApi } from '../../../renderer/review/second-listen';
import { ok } from '../../../shared/result';
import type { InsertOutcome } from '../../../renderer/review/tag-insertion';
import type { TextRange } from '../../../renderer/store/slices/review.slice';

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
    });
    expect(await flow.accept(proposal)).toEqual(ok('inserted'));
    expect(replace).toHaveBeenCalledWith({ start: 4, end: 9 }, 'forty');
    expect(decide).toHaveBeenCalledWith({ requestId: proposal.requestId, decision: 'accepted' });

    replace.mockReturnValue('tooLong');
    decide.mockClear();
    expect(await flow.accept(proposal)).toEqual(ok('tooLong'));
    expect(decide).not.toHaveBeenCalled();
  });
});
