/**
 * Brings the workstation's batches in line with the service: a batch the service revoked (or
 * no longer lists) is crypto-erased now, one it expired is erased too, new active batches are
 * checked out and imported through the normal vault import, and a batch whose work is all
 * done and acknowledged has its audio purged. A batch another device of the account holds, or
 * one this device handed over, is neither checked out nor kept: one device writes a batch at a
 * time. Annotations are never touched here: unsynced work on an erased batch stays in the outbox
 * and is still sent (the service refuses what a hand-over surrendered, and it is parked).
 *
 * Only the signed-in reviewer's batches are brought in line: reviewers who share a workstation
 * each sign in in turn, the service lists each one's batches alone, and another reviewer's
 * batches and work wait here, untouched, for that reviewer's next sign-in. The one exception is
 * a batch the service has since assigned to the signed-in reviewer (see `moveHere`).
 */
import type { AuditEventType, BatchState } from '../../../shared/sync/messages';
import type { BatchHolder } from '../../../shared/sync/protocol';
import type { BatchRepository } from '../../db/repositories/batch.repository';
import type { SyncBatchRepository } from '../../db/repositories/sync-batch.repository';
import type { Logger } from '../../log/logger';
import type { ConsentService } from '../consent.service';
import { ownedBy } from '../own-batches';
import { ServiceError } from '../service-error';
import type { VaultService } from '../vault.service';
import type { SealedExpiries } from '../sealed-expiries';
import { SyncHttpError, type SyncHttp } from './sync-http';

export type BatchSyncDeps = {
  readonly http: SyncHttp;
  readonly syncBatches: SyncBatchRepository;
  readonly batches: BatchRepository;
  /** Where an expiry brought forward is also kept, sealed, so an edited row cannot undo it. */
  readonly expiries?: Pick<SealedExpiries, 'bringForward'> | undefined;
  readonly vault: Pick<VaultService, 'revoke' | 'expire' | 'importInBackground' | 'deviceKey' | 'packageExpiry'>;
  readonly now: () => number;
  readonly logger: Logger;
  readonly audit: (type: AuditEventType, batchId: string) => void;
  /** Erases clips the service names as withdrawn; absent where nothing is erased (offline tools). */
  readonly consent?: Pick<ConsentService, 'eraseWithdrawn'> | undefined;
  /** The signed-in reviewer: the batches reconciled are theirs, and so are the audit events. */
  readonly author: string;
};

/**
 * Imports a downloaded package through the vault, from memory (its bytes never touch the disk as
 * a file) and in the import worker, so the reviewer's calls never wait on it.
 */
export async function importPackageBytes(d: Pick<BatchSyncDeps, 'vault'>, bytes: Buffer): Promise<string> {
  return (await d.vault.importInBackground(bytes)).batchId;
}

/** Whether the batch is another device's now, or this one gave it up: not for this device to write. */
const heldAway = (holder: BatchHolder | undefined): boolean => holder === 'elsewhere' || holder === 'handed_over';

/**
 * Checks a batch out to this device; undefined when the service will not: one batch refused must
 * not hold up the rest of the sync (409: another device of the account took it meanwhile).
 */
async function checkout(d: BatchSyncDeps, token: string, batchId: string): Promise<Buffer | undefined> {
  try {
    return await d.http.checkout(token, batchId, d.vault.deviceKey().keyId);
  } catch (error) {
    if (error instanceof SyncHttpError && error.failure === 'http' && [403, 404, 409, 410].includes(error.status)) {
      d.logger.warn('sync: checkout refused', { batchId, status: error.status });
      return undefined;
    }
    throw error;
  }
}

/**
 * Moves to the signed-in reviewer a batch the service now lists as theirs, that no other device
 * holds, and whose copy here is still active but another reviewer's (an operator handed it over
 * and assigned it anew): it is checked out to this device for them, without a new package (the
 * copy here is the same batch), and the last reviewer's drafts on it are dropped. Their sent and
 * queued work stays theirs, and goes up (or is refused) in their own session.
 */
async function moveHere(d: BatchSyncDeps, token: string, b: BatchState): Promise<void> {
  // Only a copy still active here moves: an erased one stays erased (a package of it is refused).
  const owner = d.syncBatches.activeOwnerOf(b.batchId);
  if (b.status !== 'active' || heldAway(b.holder) || ownedBy(owner, d.author)) {
    return;
  }
  if (b.holder !== 'here' && !(await checkout(d, token, b.batchId))) {
    return;
  }
  d.syncBatches.moveTo(b.batchId, d.author);
  d.audit('batch_checked_out', b.batchId);
  d.logger.info("sync: another reviewer's batch moved to the signed-in reviewer", { batchId: b.batchId });
}

/**
 * Keeps the service's expiry of a batch sealed (sealed-expiries.ts), whatever the row says: the
 * row is the workstation user's to edit, so deciding from it (or sealing only when it moves) lets
 * a row set earlier before a sync, or one moved by a sync the app locked during, end unsealed.
 * The package's own expiry, sealed with every clip, already ends the batch: a time no earlier
 * than it (what the service lists unless an operator brought it forward) needs no entry of its
 * own, and writing one would cost the first sync after each checkout a synced file write. An
 * earlier time is written once, and again only when it moves earlier still. A failure does not
 * end the cycle: while locked, the next cycle seals it; sealed times that cannot be trusted
 * already keep every clip shut, and the reviewer's work must still go up.
 */
function sealExpiry(d: Pick<BatchSyncDeps, 'expiries' | 'logger' | 'vault'>, batchId: string, at: number): void {
  let packaged: number | undefined;
  try {
    packaged = d.vault.packageExpiry(batchId);
  } catch {
    // Not readable now (locked, or details that fail authentication): sealed anyway below.
  }
  if (packaged !== undefined && at >= packaged) {
    return;
  }
  try {
    d.expiries?.bringForward(batchId, at);
  } catch (error) {
    d.logger.warn('sync: the batch expiry could not be sealed now', {
      batchId,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}

/** Applies the service's view of every batch (`remote`, its batch list); returns the ids checked out now. */
export async function reconcileBatches(
  d: BatchSyncDeps,
  token: string,
  remote: readonly BatchState[],
): Promise<string[]> {
  const now = d.now();
  const byId = new Map(remote.map((b) => [b.batchId, b]));
  for (const b of remote) {
    await moveHere(d, token, b);
  }
  // A batch here that the service lists for this reviewer but that has no row saying it is the
  // service's (an offline package of the batch, or a row deleted from the file) is the service's:
  // recorded before the service's word is applied, so this cycle applies it too (a revocation, an
  // earlier expiry, a hand-over), where a deleted row would otherwise dodge it at every sync.
  const rows = d.syncBatches.list();
  const recorded = new Set(rows.map((b) => b.batchId));
  const unrecorded = remote.map((b) => b.batchId).filter((id) => !recorded.has(id) && d.batches.status(id));
  unrecorded.forEach((id) => d.syncBatches.register(id, 'offline', d.author));
  // Another reviewer's batches are not this reviewer's to keep or erase. One from an older
  // version, with no owner recorded, is taken as the signed-in reviewer's (as it always was).
  const known = new Set([...rows.filter((b) => ownedBy(b.owner, d.author)).map((b) => b.batchId), ...unrecorded]);

  for (const batchId of known) {
    // A batch the service no longer lists for this reviewer was taken back: revoke it.
    const status = byId.get(batchId)?.status ?? 'revoked';
    if (byId.has(batchId)) {
      d.syncBatches.claim(batchId, d.author);
    }
    d.syncBatches.setServiceStatus(batchId, status, now);
    const local = d.batches.find(batchId);
    if (local?.status === 'active' && status === 'active' && heldAway(byId.get(batchId)?.holder)) {
      d.vault.revoke(batchId);
      d.audit('batch_handed_over', batchId);
      d.logger.info('sync: batch moved to another device; erased here', { batchId });
      continue;
    }
    if (local?.status === 'active' && status !== 'active') {
      if (status === 'revoked') {
        d.vault.revoke(batchId);
      } else {
        d.vault.expire(batchId);
      }
      d.audit(status === 'revoked' ? 'batch_erased_revoked' : 'batch_erased_expired', batchId);
      d.logger.info("sync: batch erased on the service's word", { batchId, status });
      continue;
    }
    // An operator brought the expiry forward: the copy here then expires at that time too, offline
    // or not. A later expiry is not taken: the package's own, sealed in every clip, still ends it.
    const listed = byId.get(batchId);
    if (local?.status === 'active' && listed) {
      sealExpiry(d, batchId, listed.expiresAt);
      if (d.batches.bringExpiryForward(batchId, listed.expiresAt)) {
        d.logger.info('sync: batch expiry brought forward by the service', { batchId });
      }
    }
  }

  // Before anything is sent: work on a withdrawn clip must never leave for the service.
  for (const b of remote) {
    if (b.withdrawnClipIds && d.consent) {
      d.consent.eraseWithdrawn(b.batchId, b.withdrawnClipIds, d.author);
    }
  }

  const checkedOut: string[] = [];
  for (const b of remote) {
    if (b.status !== 'active' || known.has(b.batchId) || heldAway(b.holder)) {
      continue;
    }
    if (d.batches.status(b.batchId)) {
      // Here, with a row of another reviewer's that no move took over (erased here, or the move
      // refused): a package of it would be refused, so it is not checked out.
      d.syncBatches.register(b.batchId, 'offline', d.author);
      continue;
    }
    const bytes = await checkout(d, token, b.batchId);
    if (!bytes) {
      continue;
    }
    try {
      const imported = await importPackageBytes(d, bytes);
      if (imported !== b.batchId) {
        d.logger.warn('sync: checked-out package names another batch', { batchId: b.batchId });
      }
      // The service listed it as active: recorded so, the next cycle's same word writes nothing.
      d.syncBatches.register(imported, 'checkout', d.author, imported === b.batchId ? b.status : null);
      d.audit('batch_checked_out', imported);
      checkedOut.push(imported);
    } catch (error) {
      if (!(error instanceof ServiceError)) {
        throw error;
      }
      d.logger.warn('sync: checked-out package refused', { batchId: b.batchId, code: error.code });
    }
  }
  return checkedOut;
}

/**
 * Purges the audio of every batch of the signed-in reviewer whose work is all done and
 * acknowledged, once the grace period has passed since its last submit or visit and no draft is
 * open on it.
 */
export function purgeAcknowledged(
  d: Pick<BatchSyncDeps, 'syncBatches' | 'vault' | 'now' | 'audit' | 'author'> & {
    readonly purgeGraceMs?: () => number;
  },
): string[] {
  const done = d.syncBatches.fullyAcknowledged(d.author, d.now() - (d.purgeGraceMs?.() ?? 0));
  for (const batchId of done) {
    d.vault.expire(batchId);
    d.syncBatches.markAudioPurged(batchId, d.now());
    d.audit('batch_audio_purged', batchId);
  }
  return done;
}
