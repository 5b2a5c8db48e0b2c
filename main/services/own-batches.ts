/**
 * The batches the signed-in reviewer may see and work on. Several reviewers may share a
 * workstation, each signing in in turn: a batch from the service belongs to the reviewer it was
 * checked out or imported for, and is hidden from everyone else, whatever they ask for (list,
 * clips, audio, ASR text, drafts, revisions, escalations, submits). With nobody signed in, no
 * service batch with a recorded owner is seen. Batches that are not the service's (the demo
 * batch) and service batches whose owner an older version never recorded are everyone's, as
 * before.
 *
 * A hidden batch is answered as one this workstation does not hold: its id, counts and expiry
 * are the other reviewer's business too.
 */
import type { BatchSummary } from '../../shared/domain/batch';
import type { BatchRepository } from '../db/repositories/batch.repository';
import type { SyncBatchRepository } from '../db/repositories/sync-batch.repository';

export type OwnBatchesDeps = {
  readonly batches: BatchRepository;
  readonly syncBatches: Pick<SyncBatchRepository, 'owners' | 'ownerOf'>;
  /** The signed-in reviewer's pseudonym; null when nobody is signed in to a service. */
  readonly reviewer: () => string | null;
};

/**
 * Whether a batch with this recorded owner is `reviewer`'s to see and work on: their own, or one
 * nobody owns (not the service's, or from before owners were recorded). The one rule every
 * reader of owners applies; the sync-batch repository's SQL says the same.
 */
export const ownedBy = (owner: string | null | undefined, reviewer: string | null): boolean =>
  owner === null || owner === undefined || owner === reviewer;

/** `batches`, seen by the signed-in reviewer: another reviewer's batches are not there. */
export function ownBatches(d: OwnBatchesDeps): BatchRepository {
  const visible = (owner: string | null | undefined): boolean => ownedBy(owner, d.reviewer());
  return {
    ...d.batches,
    list: (): BatchSummary[] => {
      const owners = d.syncBatches.owners();
      return d.batches.list().filter((b) => visible(owners.get(b.id)));
    },
    find: (id) => (visible(d.syncBatches.ownerOf(id)) ? d.batches.find(id) : undefined),
    status: (id) => (visible(d.syncBatches.ownerOf(id)) ? d.batches.status(id) : undefined),
  };
}
