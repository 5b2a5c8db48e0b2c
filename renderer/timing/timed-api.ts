/**
 * The API the review flow is given, with submits and escalations recorded. A submit's events
 * reach main before the submit itself does, so main measures the clip from everything that
 * happened to it; an escalation is recorded once main has stored it.
 */
import type { ClipRef } from '../../shared/ipc/contract';
import type { ReviewFlowApi } from '../review/review-ports';
import type { TimingRecorder } from './timing-recorder';

export type TimedApiHooks = {
  /** A submit was stored. */
  readonly submitted: () => void;
  /** An escalation was stored. */
  readonly escalated: () => void;
};

const refOf = (r: ClipRef): ClipRef => ({ batchId: r.batchId, clipId: r.clipId });

export function timedApi(api: ReviewFlowApi, recorder: TimingRecorder, hooks: TimedApiHooks): ReviewFlowApi {
  return {
    annotations: {
      saveDraft: (request) => api.annotations.saveDraft(request),
      work: (request) => api.annotations.work(request),
      async submit(request) {
        recorder.record('submit', {}, refOf(request));
        await recorder.flush();
        const result = await api.annotations.submit(request);
        if (result.ok) {
          hooks.submitted();
        }
        return result;
      },
    },
    review: api.review,
    clips: api.clips,
    escalations: {
      async create(request) {
        const result = await api.escalations.create(request);
        if (result.ok) {
          recorder.record('escalate', {}, refOf(request));
          void recorder.flush();
          hooks.escalated();
        }
        return result;
      },
    },
  };
}
