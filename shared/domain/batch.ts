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
  /**
   * Clips counted in `clipCount` that cannot be reviewed here, by reason: withdrawn consent
   * (refused at import, never decrypted) and quarantined (damaged or unsafe in the package).
   */
  readonly withheld: { readonly consentWithdrawn: number; readonly quarantined: number };
  /** Milliseconds since the Unix epoch. */
  readonly expiresAt: number;
  readonly status: BatchStatus;
};

/** What an import did: every clip is accounted for as imported, quarantined or refused. */
export type ImportReport = {
  readonly batchId: string;
  readonly imported: number;
  readonly quarantined: readonly { readonly clipId: string; readonly reason: string }[];
  /** Clips whose speakers withdrew consent: refused, their audio never decrypted. */
  readonly withdrawn: readonly string[];
};
