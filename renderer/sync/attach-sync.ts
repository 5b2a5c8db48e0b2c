/**
 * Keeps the renderer in step with the sync sender: loads its status, takes every `sync:changed`,
 * and closes the review screen (saving its draft, stopping playback, dropping decoded audio from
 * memory) when the batch under it is taken back or closed, when the reviewer signs out, and when
 * they choose to sign in again: the sign-in screen takes its place. Saved work is untouched.
 */
import type { ReviewerApi } from '../../shared/ipc/contract';
import type { ClipNavigation } from '../review/clip-navigation';
import type { AppStore } from '../store';

export type AttachSyncOptions = {
  readonly api: ReviewerApi;
  readonly store: AppStore;
  /** The review flow's clips: closed when the batch under them goes. */
  readonly clips: Pick<ClipNavigation, 'close'>;
};

/** Starts keeping sync state in step; returns the undo. */
export function attachSync({ api, store, clips }: AttachSyncOptions): () => void {
  void store.getState().sync.load();
  const stopEvents = api.sync.onChanged((status) => store.getState().sync.received(status));
  const stopStore = store.subscribe((s, prev) => {
    const open = s.review.batchId;
    const leftService = prev.session.info?.mode === 'service' && s.session.info?.mode !== 'service';
    if (open !== null && ((s.sync.signInOpen && !prev.sync.signInOpen) || leftService)) {
      clips.close();
      return;
    }
    if (open !== null && s.batches.items !== prev.batches.items) {
      const batch = s.batches.items.find((b) => b.id === open);
      if (batch && batch.status !== 'active') {
        clips.close();
        s.sync.setNotice(batch.status === 'revoked' ? 'batchRevoked' : 'batchClosed');
      }
    }
  });
  return () => {
    stopEvents();
    stopStore();
  };
}
