/**
 * What the review flow is given from outside renderer/review: the calls to main it makes, and
 * the breaks it offers and takes. Both are arguments of createReviewFlow, so the flow cannot be
 * built without them; renderer/timing supplies versions that record what passes through them.
 */
import type { ReviewerApi } from '../../shared/ipc/contract';

/** The part of the reviewer API the review flow calls; the whole API satisfies it. */
export type ReviewFlowApi = {
  readonly annotations: Pick<ReviewerApi['annotations'], 'saveDraft' | 'work' | 'submit'>;
  readonly review: Pick<ReviewerApi['review'], 'state' | 'setPosition'>;
  readonly clips: Pick<ReviewerApi['clips'], 'list'>;
  readonly escalations: Pick<ReviewerApi['escalations'], 'create'>;
};

/** Breaks in the review flow: taken, ended, offered and declined. */
export type BreakActions = {
  /** Stops the audio and hides the clip for a break. */
  take(): void;
  /** Back to the clip; its audio stays stopped until the reviewer plays it. */
  resume(): void;
  /** Offers a break that is due, if nothing covers the clip; after a submit. */
  suggest(): void;
  /** The panel on screen is being closed: a break it offered was declined. */
  panelClosing(): void;
};
