import { describe, expect, it } from 'vitest';
import { batchListResponseSchema } from '../../../shared/sync/messages';

const batch = { batchId: 'b-AAAAAAAAAAAAAAA1', status: 'active', expiresAt: 1, clipCount: 3 } as const;

/** A signed service time as the service sends it (the schema checks its form, not the signature). */
const serviceTime = {
  statement: { purpose: 'service-time', at: 1_767_225_600_000, nonce: 'AAAAAAAAAAAAAAAAAAAAAA' },
  signature: Buffer.alloc(64, 1).toString('base64'),
} as const;

/** What the service holds of the session device's ops. */
const deviceOps = { keyId: '0123456789abcdef', epoch: '0'.repeat(32), highSeq: 4, count: 3 } as const;

describe('batch list', () => {
  it('takes the ids of withdrawn clips when a batch has some, and a batch without the field', () => {
    const list = {
      batches: [
        { ...batch, withdrawnClipIds: ['c-AAAAAAAAAAAAAAA2'] },
        { ...batch, batchId: 'b-AAAAAAAAAAAAAAA2' },
      ],
      serviceTime,
      deviceOps,
    };
    expect(batchListResponseSchema.parse(list)).toEqual(list);
    // Every list carries the figures: a workstation checks them for losses at each cycle.
    const { deviceOps: _figures, ...without } = list;
    expect(batchListResponseSchema.safeParse(without).success).toBe(false);
  });

  it('refuses an empty list of withdrawn clips and an id that is not a clip id', () => {
    expect(batchListResponseSchema.safeParse({ batches: [{ ...batch, withdrawnClipIds: [] }] }).success).toBe(false);
    expect(batchListResponseSchema.safeParse({ batches: [{ ...batch, withdrawnClipIds: ['c 2'] }] }).success).toBe(
      false,
    );
  });
});
