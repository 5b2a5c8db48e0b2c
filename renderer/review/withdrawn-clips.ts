/**
 * Clips of the open batch that main erased since it was opened, because their consent was
 * withdrawn: the review flow never shows one again, not even from its caches, and shows the
 * notice in its place instead.
 */
import type { ClipRef } from '../../shared/ipc/contract';
import { appError, type AppError } from '../../shared/result';
import type { AudioService } from '../audio/audio-port';
import type { AppStore } from '../store';
import type { ReviewFlowApi } from './review-ports';

export function createWithdrawnClips(api: ReviewFlowApi, store: AppStore, audio: AudioService) {
  const ids = new Set<string>();
  return {
    has: (clipId: string): boolean => ids.has(clipId),
    add: (clipId: string): void => {
      ids.add(clipId);
    },
    clear: (): void => ids.clear(),
    /** Shows the notice at `index`, with no clip open. */
    show(index: number, error?: AppError): void {
      const clipId = store.getState().review.clips[index]?.id ?? '';
      audio.select(null);
      store.getState().player.clipChanged(null);
      store
        .getState()
        .review.withdrawnShown(
          index,
          error ?? appError('CONSENT_WITHDRAWN', `Consent for clip "${clipId}" was withdrawn.`),
        );
    },
    /**
     * Asks main which clips of the batch are still ready and notes the others; answers false
     * when the list could not be had or the batch is no longer open.
     */
    async refresh(batchId: string): Promise<boolean> {
      const list = await api.clips.list({ batchId });
      if (!list.ok || store.getState().review.batchId !== batchId) {
        return false;
      }
      const ready = new Set(list.value.filter((c) => c.state === 'ready').map((c) => c.id));
      store
        .getState()
        .review.clips.filter((c) => !ready.has(c.id))
        .forEach((c) => ids.add(c.id));
      return true;
    },
    usable: (r: ClipRef | null): r is ClipRef => r !== null && !ids.has(r.clipId),
  };
}
