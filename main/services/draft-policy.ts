/**
 * Where a draft goes: while the app is locked the annotation key is gone and must stay gone,
 * so a draft that still arrives (the renderer flushing the last keystrokes, the OS locking
 * mid-sentence) is held, sealed for the device public key (held-drafts.ts). At the unlock, and
 * at start for drafts a crash left held, each is saved as an ordinary draft.
 *
 * Part of the annotation service, which passes its own save; kept apart so the service reads
 * as the review rules and this as the lock's effect on them.
 */
import type { BatchRepository } from '../db/repositories/batch.repository';
import type { VaultRepository } from '../db/repositories/vault.repository';
import type { Logger } from '../log/logger';
import type { EventHub } from './event-hub';
import type { HeldDraft, HeldDrafts } from './held-drafts';
import { ServiceError } from './service-error';
import type { TrustedClock } from './trusted-clock';
import type { VaultService } from './vault.service';

export type DraftPolicyDeps = {
  /** Whether the app is locked, when no annotation key may be loaded. */
  readonly lockState: { readonly isLocked: () => boolean };
  /** Where drafts saved while locked wait for the unlock. */
  readonly heldDrafts: Pick<HeldDrafts, 'hold' | 'pending' | 'release'>;
  readonly batches: Pick<BatchRepository, 'status'>;
  readonly clips: Pick<VaultRepository, 'hasClip'>;
  readonly vault: Pick<VaultService, 'deviceKey'>;
  readonly clock: TrustedClock;
  /** Brings `lock:unlocked`. */
  readonly events: Pick<EventHub, 'on'>;
  readonly logger: Logger;
  /** Saves a draft sealed under the annotation key, as an unlocked save does. */
  readonly save: (draft: HeldDraft) => { savedAt: number };
};

export function createDraftPolicy(d: DraftPolicyDeps) {
  // Reads no key: the batch and clip rows are plaintext, so only real work is held.
  const hold = (draft: HeldDraft): { savedAt: number } => {
    if (!d.batches.status(draft.batchId) || !d.clips.hasClip(draft.batchId, draft.clipId)) {
      throw new ServiceError('NOT_FOUND', `Batch "${draft.batchId}" has no clip "${draft.clipId}".`);
    }
    d.heldDrafts.hold(draft);
    return { savedAt: d.clock.now() };
  };

  /** Saves the drafts held while locked; the device key is back by now. Never fails the unlock. */
  const release = (): void => {
    if (!d.heldDrafts.pending()) {
      return;
    }
    try {
      const saved = d.heldDrafts.release(d.vault.deviceKey(), d.save, (error) =>
        d.logger.warn('drafts: a draft kept while locked could not be saved', {
          error: error instanceof ServiceError ? error.code : 'unreadable',
        }),
      );
      d.logger.info('drafts: drafts kept while locked saved', { saved });
    } catch (error) {
      // The key store refused: the drafts stay held, sealed, for the next unlock or start.
      d.logger.error('drafts: drafts kept while locked wait for the device key', {
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  };

  d.events.on('lock:unlocked', release);
  // Drafts a crash left held are saved now, before anyone reads them (the app starts unlocked).
  if (!d.lockState.isLocked()) {
    release();
  }

  return {
    /** Saves the draft, or holds it while the app is locked; answers the same either way. */
    save: (draft: HeldDraft): { savedAt: number } => (d.lockState.isLocked() ? hold(draft) : d.save(draft)),
  };
}
