/**
 * Where the reviewer is in a batch, told to main so the batch reopens there. Telling waits for
 * the clip's paint (it is background work); a lock, a close or another batch before then must
 * not lose it, or the batch would reopen at an older clip.
 */
import type { ClipRef } from '../../shared/ipc/contract';
import type { ReviewFlowApi } from './review-ports';

export type ClipPlace = {
  /** A clip is on screen; main is told at `save`. */
  shown(ref: ClipRef): void;
  /** Tells main the last clip shown, if it has not been told yet. */
  save(): void;
};

export function createClipPlace(api: Pick<ReviewFlowApi, 'review'>): ClipPlace {
  let untold: ClipRef | null = null;
  return {
    shown(ref) {
      untold = ref;
    },
    save() {
      if (untold !== null) {
        void api.review.setPosition(untold);
        untold = null;
      }
    },
  };
}
