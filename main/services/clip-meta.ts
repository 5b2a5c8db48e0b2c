/**
 * Reading the sealed details kept with each clip: the batch's expiry sealed in them ends the
 * batch whatever its row says, so reading past it erases the batch.
 */
import { aad, type Sealed } from '../../core/crypto/aead';
import { openJson } from '../../core/crypto/codec';
import type { VaultRepository } from '../db/repositories/vault.repository';
import type { Logger } from '../log/logger';
import { clipMetaSchema, type ClipMeta } from './import/clip-rows';
import { ServiceError } from './service-error';

export type ClipMetaDeps = {
  readonly vault: Pick<VaultRepository, 'firstMeta'>;
  /** The batch's key: throws when it cannot be had (locked, or the batch erased). */
  readonly batchKey: (batchId: string) => Buffer;
  readonly now: () => number;
  readonly logger: Pick<Logger, 'warn'>;
  /** Erases the batch as expired. */
  readonly expire: (batchId: string) => void;
};

export function createClipMeta(d: ClipMetaDeps) {
  const open = (batchId: string, clipId: string, sealed: Sealed): ClipMeta =>
    openJson(d.batchKey(batchId), sealed, aad('meta', batchId, clipId), clipMetaSchema, 'Clip details');
  return {
    /** A clip's sealed details; past the expiry sealed with them the batch is erased, whatever its row says. */
    read: (batchId: string, clipId: string, sealed: Sealed): ClipMeta => {
      const meta = open(batchId, clipId, sealed);
      if (meta.expiresAt !== undefined && d.now() >= meta.expiresAt) {
        d.logger.warn('vault: batch past its sealed expiry', { batchId });
        d.expire(batchId);
        throw new ServiceError('EXPIRED', `Batch "${batchId}" is expired; its audio is gone.`);
      }
      return meta;
    },
    /**
     * The expiry sealed with the batch's clips at import: its package's own, which ends the batch
     * whatever its row says. Undefined when no clip holds one (imported before it was sealed).
     * Throws when the batch key cannot be had (locked) or the details fail authentication.
     */
    packageExpiry: (batchId: string): number | undefined => {
      const first = d.vault.firstMeta(batchId);
      return first ? open(batchId, first.clipId, first.meta).expiresAt : undefined;
    },
  };
}
