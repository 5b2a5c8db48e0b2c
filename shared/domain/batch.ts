/** Where a batch stands in its life on this workstation. */
export const batchStatuses = ['active', 'expired', 'revoked'] as const;
export type BatchStatus = (typeof batchStatuses)[number];

/**
 * What the batch list shows. Only facts that a package also reveals in the clear: ids,
 * counts, locale and expiry; never a transcript or clip detail.
 */
export type BatchSummary = {
  readonly id: string;
  readonly locale: string;
  readonly clipCount: number;
  readonly doneCount: number;
  /** Milliseconds since the Unix epoch. */
  readonly expiresAt: number;
  readonly status: BatchStatus;
};
