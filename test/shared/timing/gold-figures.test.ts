import { describe, expect, it } from 'vitest';
import { goldFigures, NO_GOLD, poolGoldFigures } from '../../../shared/timing/gold-figures';

describe('gold figures', () => {
  it('pools the words of a shift’s gold clips and counts agreed dispositions', () => {
    const f = goldFigures([
      { referenceWords: 4, wordErrors: 1, dispositionAgreed: true },
      { referenceWords: 6, wordErrors: 4, dispositionAgreed: false },
      { referenceWords: 0, wordErrors: 2, dispositionAgreed: true },
    ]);
    expect(f).toEqual({
      clips: 3,
      wordErrors: 7,
      referenceWords: 10,
      wer: 0.7,
      dispositionsAgreed: 2,
      dispositionAgreement: 2 / 3,
    });
  });

  it('has no rates without gold clips, and none for WER without reference words', () => {
    expect(NO_GOLD).toEqual({
      clips: 0,
      wordErrors: 0,
      referenceWords: 0,
      wer: null,
      dispositionsAgreed: 0,
      dispositionAgreement: null,
    });
    const silent = goldFigures([{ referenceWords: 0, wordErrors: 0, dispositionAgreed: false }]);
    expect([silent.wer, silent.dispositionAgreement]).toEqual([null, 0]);
  });

  it('pools shifts by their words and clips, not by averaging their rates', () => {
    const short = goldFigures([{ referenceWords: 2, wordErrors: 2, dispositionAgreed: false }]);
    const long = goldFigures([
      { referenceWords: 18, wordErrors: 0, dispositionAgreed: true },
      { referenceWords: 0, wordErrors: 0, dispositionAgreed: true },
    ]);
    const pooled = poolGoldFigures([short, long, NO_GOLD]);
    expect(pooled.wer).toBeCloseTo(0.1, 10);
    expect(pooled.dispositionAgreement).toBeCloseTo(2 / 3, 10);
    expect(pooled.clips).toBe(3);
  });
});
