import { describe, expect, it } from 'vitest';
import { batchListResponseSchema } from '../../../shared/sync/messages';

const batch = { batchId: 'b-1', status: 'active', expiresAt: 1, clipCount: 3 } as const;

describe('batch list', () => {
  it('takes the ids of withdrawn clips when a batch has some, and a batch without the field', () => {
    const list = {
      batches: [
        { ...batch, withdrawnClipIds: ['c-2'] },
        { ...batch, batchId: 'b-2' },
      ],
    };
    expect(batchListResponseSchema.parse(list)).toEqual(list);
  });

  it('refuses an empty list of withdrawn clips and an id that is not a clip id', () => {
    expect(batchListResponseSchema.safeParse({ batches: [{ ...batch, withdrawnClipIds: [] }] }).success).toBe(false);
    expect(batchListResponseSchema.safeParse({ batches: [{ ...batch, withdrawnClipIds: ['c 2'] }] }).success).toBe(
      false,
    );
  });
});
