/**
 * Consent withdrawn after checkout: the service names the clip in its batch status, and this
 * workstation erases what it holds of it (audio, details, drafts, escalations, the bodies of its
 * revisions), drops the work on it that never reached the service, and records that it did. The
 * clip then counts as withheld for withdrawn consent, exactly as one refused at import.
 */
import { randomUUID } from 'node:crypto';
import type { ConsentRepository } from '../db/repositories/consent.repository';
import type { BatchRepository } from '../db/repositories/batch.repository';
import type { VaultRepository } from '../db/repositories/vault.repository';
import type { Logger } from '../log/logger';
import type { EventHub } from './event-hub';
import type { TrustedClock } from './trusted-clock';

export type ConsentDeps = {
  readonly consent: ConsentRepository;
  readonly vault: Pick<VaultRepository, 'checkpoint'>;
  readonly batches: Pick<BatchRepository, 'status' | 'list'>;
  readonly events: Pick<EventHub, 'emit'>;
  readonly clock: Pick<TrustedClock, 'now' | 'saveFloor'>;
  readonly logger: Logger;
  /** The keyed reference escalations name a clip by (clip-refs.ts). */
  readonly clipRef: (batchId: string, clipId: string) => string;
  /** Drops plaintext kept in memory of what was just erased (the annotation service's seal memo). */
  readonly forgetErased?: () => void;
};

export function createConsentService(d: ConsentDeps) {
  /** Erases one clip in its own transaction with its audit event; true when it was held here. */
  const eraseOne = (batchId: string, clipId: string, author: string | null): boolean => {
    const at = d.clock.now();
    const audit = author
      ? {
          opId: randomUUID(),
          kind: 'audit' as const,
          author,
          batchId,
          clipId,
          revision: null,
          auditType: 'clip_erased_consent_withdrawn' as const,
          refOpId: null,
          createdAt: at,
        }
      : null;
    const erasure = d.consent.eraseClip({ batchId, clipId, clipRef: d.clipRef(batchId, clipId) }, at, audit);
    if (erasure.erased) {
      d.logger.info('consent: clip erased, consent withdrawn', {
        batchId,
        droppedOps: erasure.droppedOps,
        droppedDrafts: erasure.droppedDrafts,
        droppedEscalations: erasure.droppedEscalations,
        erasedRevisions: erasure.erasedRevisions,
      });
    }
    return erasure.erased;
  };

  return {
    /**
     * Erases every clip of `batchId` in `clipIds` that this workstation still holds, each in its
     * own transaction with its audit event by `author`, then empties the write-ahead log of what
     * was erased. Returns the ids erased now; a clip erased before, or never held, is skipped.
     */
    eraseWithdrawn(batchId: string, clipIds: readonly string[], author: string | null): string[] {
      if (!d.batches.status(batchId)) {
        return [];
      }
      const known = d.consent.withdrawnClipIds(batchId);
      const erased: string[] = [];
      try {
        for (const clipId of clipIds.filter((id) => !known.has(id))) {
          if (eraseOne(batchId, clipId, author)) {
            erased.push(clipId);
          }
        }
      } finally {
        // What was erased before a failure too: no plaintext of it stays in memory.
        if (erased.length > 0) {
          d.forgetErased?.();
        }
      }
      if (erased.length > 0) {
        // Erased pages can still sit in the write-ahead log and the free list as they were.
        d.vault.checkpoint();
        // A copy of the file from before this erase, put back, is then refused as rolled back.
        d.clock.saveFloor();
        d.events.emit('batches:changed', d.batches.list());
      }
      return erased;
    },
  };
}

export type ConsentService = ReturnType<typeof createConsentService>;
