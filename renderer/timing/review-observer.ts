/**
 * Reads the review store for what the reviewer did to the open clip: which clip is on screen,
 * transcript edits, the disposition chosen, spans tagged, breaks, and Earmark locking itself. A clip opening also
 * changes the transcript and disposition; those are not the reviewer's doing and are skipped
 * (`loadSeq` changes whenever a clip's saved work is put on screen).
 */
import type { ClipRef } from '../../shared/ipc/contract';
import type { AppState, AppStore } from '../store';
import type { TimingRecorder } from './timing-recorder';

const openRef = (s: AppState): ClipRef | null =>
  s.review.clip && s.review.batchId !== null ? { batchId: s.review.batchId, clipId: s.review.clip.id } : null;

export function observeReview(store: AppStore, recorder: TimingRecorder): () => void {
  const apply = (s: AppState, prev: AppState): void => {
    const r = s.review;
    const p = prev.review;
    const ref = openRef(s);
    const current = recorder.clip();
    if (ref?.clipId !== current?.clipId || ref?.batchId !== current?.batchId) {
      recorder.setClip(ref);
    } else if (ref && r.loadSeq === p.loadSeq) {
      if (r.body.transcript !== p.body.transcript) {
        recorder.edit();
      }
      if (r.disposition !== p.disposition) {
        recorder.record('disposition', { label: r.disposition });
      }
      const critical = r.body.critical.at(-1);
      if (r.body.critical.length > p.body.critical.length && critical) {
        recorder.record('tag', { label: critical.category });
      }
      if (r.body.entities.length > p.body.entities.length) {
        recorder.record('tag', { label: 'entity' });
      }
    }
    if ((r.panel === 'break') !== (p.panel === 'break')) {
      recorder.setIdle('break', r.panel === 'break');
    }
    const locked = s.lock.state?.locked === true;
    if (locked !== (prev.lock.state?.locked === true)) {
      recorder.setIdle('app_lock', locked);
    }
  };
  recorder.setClip(openRef(store.getState()));
  return store.subscribe(apply);
}
