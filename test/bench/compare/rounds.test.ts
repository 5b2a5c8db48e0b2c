import { describe, expect, it } from 'vitest';
import { roundOrder } from '../../../bench/compare/rounds';

describe('roundOrder', () => {
  it('alternates HEAD and REF, round by round', () => {
    expect(roundOrder(3).map((s) => `${s.side}${s.round}`)).toEqual([
      'head1',
      'ref1',
      'head2',
      'ref2',
      'head3',
      'ref3',
    ]);
  });

  it('gives each side exactly the rounds asked for', () => {
    const order = roundOrder(5);
    expect(order.filter((s) => s.side === 'head')).toHaveLength(5);
    expect(order.filter((s) => s.side === 'ref')).toHaveLength(5);
  });
});
