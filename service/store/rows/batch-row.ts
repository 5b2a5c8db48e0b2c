/** Batches as both stores read them, and how a row becomes the repository's type. */
import type { ServiceBatch } from '../batch-repositories';

/** A batch with its clip count (a subquery each store writes in its own dialect). */
export type RawBatch = {
  batch_id: string;
  assigned_to: string;
  locale: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  clip_count: number;
};

export const toBatch = (r: RawBatch): ServiceBatch => ({
  batchId: r.batch_id,
  assignedTo: r.assigned_to,
  locale: r.locale,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  clipCount: r.clip_count,
});
