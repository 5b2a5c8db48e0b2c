/**
 * Whose batch a package carried in by hand is. In service mode a batch is the reviewer's only if
 * the service assigns it to them: anything else would be erased at the next sync (a batch the
 * service does not list reads as revoked), so it is refused at the door with the reason. Online
 * the service's own batch list decides; offline the package's sealed assignment does. Without a
 * service (demo mode) every package that checks out is taken.
 */
import type { BatchListResponse } from '../../../shared/sync/messages';
import { ServiceError } from '../service-error';

type ListedBatch = BatchListResponse['batches'][number];

/** How packages are judged in one import: decided once, then applied to each package. */
export type AssignmentRule =
  /** No service: any package made for this workstation. */
  | { readonly kind: 'open' }
  /** Online: what the service lists as this reviewer's. */
  | { readonly kind: 'listed'; readonly reviewer: string; readonly batches: ReadonlyMap<string, ListedBatch> }
  /** Offline: what the package says it was assigned to. */
  | { readonly kind: 'carried'; readonly reviewer: string };

export type AssignmentSource = {
  /** Whether an annotation service is configured (service mode). */
  readonly configured: boolean;
  /** The signed-in reviewer's pseudonym, or null. */
  readonly author: () => string | null;
  /** The service's batches for the reviewer, asked now; null when it cannot be asked (offline). */
  readonly listedBatches: () => Promise<readonly ListedBatch[] | null>;
};

/**
 * The rule for one import: asks the service once (a folder of packages costs one request).
 * Throws PACKAGE_REFUSED (`sign_in_first`) in service mode with nobody signed in.
 */
export async function assignmentRule(d: AssignmentSource): Promise<AssignmentRule> {
  if (!d.configured) {
    return { kind: 'open' };
  }
  const reviewer = d.author();
  if (!reviewer) {
    throw new ServiceError(
      'PACKAGE_REFUSED',
      "Sign in before importing: a package is taken only for the signed-in reviewer's batches.",
      { reason: 'sign_in_first' },
    );
  }
  const listed = await d.listedBatches();
  return listed === null
    ? { kind: 'carried', reviewer }
    : { kind: 'listed', reviewer, batches: new Map(listed.map((b) => [b.batchId, b])) };
}

/** Throws PACKAGE_REFUSED, with the reason, when `rule` does not take the batch. */
export function requireAssigned(rule: AssignmentRule, batchId: string, assignedTo: string | null): void {
  if (rule.kind === 'open') {
    return;
  }
  if (rule.kind === 'listed') {
    const listed = rule.batches.get(batchId);
    if (!listed || listed.status !== 'active') {
      throw new ServiceError(
        'PACKAGE_REFUSED',
        `The service does not assign batch "${batchId}" to this reviewer: the next sync would erase it.`,
        { reason: 'not_assigned', batchId },
      );
    }
    if (listed.holder === 'elsewhere' || listed.holder === 'handed_over') {
      throw new ServiceError(
        'PACKAGE_REFUSED',
        `Batch "${batchId}" is held by another workstation (or was handed over from this one): the next sync would erase it.`,
        { reason: 'held_elsewhere', batchId },
      );
    }
    return;
  }
  if (assignedTo === null) {
    throw new ServiceError(
      'PACKAGE_REFUSED',
      `The package of batch "${batchId}" names no reviewer, and the service cannot be asked while offline.`,
      { reason: 'no_assignment', batchId },
    );
  }
  if (assignedTo !== rule.reviewer) {
    throw new ServiceError(
      'PACKAGE_REFUSED',
      `The package assigns batch "${batchId}" to another reviewer: the next sync would erase it.`,
      { reason: 'assigned_elsewhere', batchId },
    );
  }
}
