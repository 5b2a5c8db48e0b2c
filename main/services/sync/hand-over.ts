/**
 * Handing a batch over to another workstation of the same reviewer: one device writes a batch at
 * a time, so the batch moves only once this device's work on it is with the service. The sender
 * drains first; if annotations of the batch still wait (offline, refused), nothing is handed over
 * and the reviewer is told. Then the service is told (`POST /v1/batches/{id}/release`), the batch
 * is crypto-erased here like a revoked one, and an audit event records it. What is parked stays
 * parked and visible: the service refuses it from now on (`handed_over`), so it can be discarded.
 */
import type { AuditEventType } from '../../../shared/sync/messages';
import type { OutboxRepository } from '../../db/repositories/outbox.repository';
import { ServiceError } from '../service-error';
import type { VaultService } from '../vault.service';
import { SyncHttpError, type SyncHttp } from './sync-http';

export type HandOverDeps = {
  readonly http: SyncHttp;
  readonly outbox: Pick<OutboxRepository, 'pendingAnnotations'>;
  readonly vault: Pick<VaultService, 'revoke' | 'deviceKey'>;
  readonly author: () => string | null;
  /** The session token, once the drain is done; undefined when signed out or expired. */
  readonly token: () => string | undefined;
  /** Runs a sync cycle (batch status, outbox) and resolves when it is done. */
  readonly drain: () => Promise<void>;
  readonly audit: (type: AuditEventType, batchId?: string | null) => void;
};

/** Drains, then releases the batch on the service and erases it here. */
export async function handOverBatch(d: HandOverDeps, batchId: string): Promise<void> {
  await d.drain();
  const who = d.author();
  const token = d.token();
  if (!who || !token) {
    throw new ServiceError('UNAVAILABLE', 'Sign in to the annotation service to hand a batch over.');
  }
  const waiting = d.outbox.pendingAnnotations(batchId, who);
  if (waiting > 0) {
    throw new ServiceError(
      'CONFLICT',
      `${waiting} annotations of batch "${batchId}" are not with the service yet: sync them before handing it over.`,
    );
  }
  try {
    await d.http.release(token, batchId, d.vault.deviceKey().keyId);
  } catch (error) {
    if (error instanceof SyncHttpError && error.failure === 'http' && error.status < 500 && error.status !== 429) {
      throw new ServiceError('CONFLICT', `The service did not take batch "${batchId}" back: ${error.message}`);
    }
    throw new ServiceError('UNAVAILABLE', 'The annotation service could not be reached; try again.');
  }
  d.vault.revoke(batchId);
  d.audit('batch_handed_over', batchId);
}
