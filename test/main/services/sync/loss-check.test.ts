import { describe, expect, it } from 'vitest';
import { compareWithService, unrecoverableAfterResend } from '../../../../main/services/sync/loss-check';

const EPOCH = 'a'.repeat(32);
const mine = { epoch: EPOCH, highSeq: 120, acked: 40 };

describe('comparing what was acknowledged with what the service holds', () => {
  it('finds nothing when the service holds exactly what it acknowledged', () => {
    expect(compareWithService(mine, { epoch: EPOCH, highSeq: 120, count: 40 })).toEqual({ behind: false, reasons: [] });
  });

  it('finds nothing when the service holds more (an answer lost after its commit)', () => {
    expect(compareWithService(mine, { epoch: EPOCH, highSeq: 130, count: 45 })).toEqual({ behind: false, reasons: [] });
  });

  it('finds a loss when the service holds fewer ops than it acknowledged', () => {
    expect(compareWithService(mine, { epoch: EPOCH, highSeq: 120, count: 39 })).toEqual({
      behind: true,
      reasons: ['count'],
    });
  });

  it('finds a loss when the highest op it holds is below the highest it acknowledged', () => {
    expect(compareWithService(mine, { epoch: EPOCH, highSeq: 90, count: 40 })).toEqual({
      behind: true,
      reasons: ['highSeq'],
    });
  });

  it('finds a loss when the epoch changed, whatever the figures say', () => {
    expect(compareWithService(mine, { epoch: 'b'.repeat(32), highSeq: 500, count: 400 })).toEqual({
      behind: true,
      reasons: ['epoch'],
    });
  });

  it('names every reason at once', () => {
    expect(compareWithService(mine, { epoch: 'b'.repeat(32), highSeq: 10, count: 3 }).reasons).toEqual([
      'epoch',
      'count',
      'highSeq',
    ]);
  });

  it('takes a first epoch as it comes: there is nothing to compare it with', () => {
    expect(compareWithService({ epoch: null, highSeq: 0, acked: 0 }, { epoch: EPOCH, highSeq: 7, count: 3 })).toEqual({
      behind: false,
      reasons: [],
    });
  });

  it('counts as unrecoverable only what the service still lacks after the resend', () => {
    expect(unrecoverableAfterResend(40, 40)).toBe(0);
    expect(unrecoverableAfterResend(40, 45)).toBe(0);
    expect(unrecoverableAfterResend(40, 37)).toBe(3);
  });
});
