import type { AnnotationBody, Disposition, ReviewState } from '../../../shared/domain/annotation';
import type { ClipSummary } from '../../../shared/domain/clip';
import type { AppError } from '../../../shared/result';
import type { ClipInfo } from '../../audio/audio-port';
import type { SliceCreator } from '../types';

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'error';
export type PrefillMode = 'asr' | 'blank';
export type SubmittedClip = ReviewState['submitted'][number];
/** Why the screen is telling the reviewer something: a refused submit, or the end of a batch. */
export type ReviewNotice = 'notHeard' | 'batchDone' | null;

/** The open clip's editable state, as the review flow sets it when a clip opens. */
export type OpenedWork = {
  readonly index: number;
  readonly clip: ClipInfo;
  readonly body: AnnotationBody;
  readonly disposition: Disposition;
  readonly basedOnRevision: number;
  readonly heardInFull: boolean;
  readonly saveStatus: SaveStatus;
};

type ReviewData = {
  /** The open batch; null while the batch list shows. */
  readonly batchId: string | null;
  /** The batch opened last, so the batch list can put the focus back on it. */
  readonly lastBatchId: string | null;
  /** The batch's playable clips, in order. */
  readonly clips: readonly ClipSummary[];
  readonly index: number;
  readonly clip: ClipInfo | null;
  readonly loading: boolean;
  /** Changes whenever the editor must show a body that was not typed into it (a clip opened). */
  readonly loadSeq: number;
  readonly body: AnnotationBody;
  readonly disposition: Disposition;
  /** The revision this work amends; 0 for a clip never submitted. */
  readonly basedOnRevision: number;
  readonly saveStatus: SaveStatus;
  readonly heardInFull: boolean;
  readonly submitted: readonly SubmittedClip[];
  readonly submitting: boolean;
  readonly notice: ReviewNotice;
  readonly error: AppError | null;
  /** Setting: what a clip's transcript box starts with when nothing was saved for it. */
  readonly prefill: PrefillMode;
  /** Setting: refuse to submit a clip that was not heard in full. */
  readonly requireHeardInFull: boolean;
};

type ReviewActions = {
  opening: (batchId: string) => void;
  batchLoaded: (clips: readonly ClipSummary[], submitted: readonly SubmittedClip[]) => void;
  clipOpened: (work: OpenedWork) => void;
  edited: (transcript: string) => void;
  setDisposition: (disposition: Disposition) => void;
  setSaveStatus: (status: SaveStatus) => void;
  heard: () => void;
  markSubmitted: (clip: SubmittedClip) => void;
  /** The open clip was submitted as `revision` and stays open: further work amends it. */
  revised: (revision: number) => void;
  setSubmitting: (submitting: boolean) => void;
  setNotice: (notice: ReviewNotice) => void;
  failed: (error: AppError | null) => void;
  closed: () => void;
  setPrefill: (mode: PrefillMode) => void;
  setRequireHeardInFull: (on: boolean) => void;
};

export type ReviewSlice = { readonly review: ReviewData & ReviewActions };

export const emptyBody: AnnotationBody = { transcript: '', critical: [], entities: [] };

const closedState = {
  batchId: null,
  clips: [],
  index: -1,
  clip: null,
  loading: false,
  body: emptyBody,
  disposition: 'transcribed',
  basedOnRevision: 0,
  saveStatus: 'idle',
  heardInFull: false,
  submitted: [],
  submitting: false,
  notice: null,
  error: null,
} as const satisfies Omit<ReviewData, 'lastBatchId' | 'loadSeq' | 'prefill' | 'requireHeardInFull'>;

/** Spans that still lie inside an edited transcript; the schema refuses any other. */
function fitting(body: AnnotationBody, transcript: string): AnnotationBody {
  const fits = (s: { readonly end: number }): boolean => s.end <= transcript.length;
  return { transcript, critical: body.critical.filter(fits), entities: body.entities.filter(fits) };
}

export const createReviewSlice = (): SliceCreator<ReviewSlice> => (set) => {
  const patch = (p: Partial<ReviewData>): void => set((s) => ({ review: { ...s.review, ...p } }));
  return {
    review: {
      ...closedState,
      lastBatchId: null,
      loadSeq: 0,
      prefill: 'asr',
      requireHeardInFull: true,
      opening: (batchId) => set((s) => ({ review: { ...s.review, ...closedState, batchId, lastBatchId: batchId, loading: true } })),
      batchLoaded: (clips, submitted) => patch({ clips, submitted }),
      clipOpened: (work) =>
        set((s) => ({ review: { ...s.review, ...work, loading: false, notice: null, error: null, loadSeq: s.review.loadSeq + 1 } })),
      edited: (transcript) => set((s) => ({ review: { ...s.review, body: fitting(s.review.body, transcript), saveStatus: 'idle' } })),
      setDisposition: (disposition) => patch({ disposition }),
      setSaveStatus: (saveStatus) => patch({ saveStatus }),
      heard: () => set((s) => ({ review: { ...s.review, heardInFull: true, notice: s.review.notice === 'notHeard' ? null : s.review.notice } })),
      markSubmitted: (clip) =>
        set((s) => ({ review: { ...s.review, submitted: [...s.review.submitted.filter((c) => c.clipId !== clip.clipId), clip] } })),
      revised: (revision) => patch({ basedOnRevision: revision, saveStatus: 'saved' }),
      setSubmitting: (submitting) => patch({ submitting }),
      setNotice: (notice) => patch({ notice }),
      failed: (error) => patch({ error, loading: false }),
      closed: () => set((s) => ({ review: { ...s.review, ...closedState } })),
      setPrefill: (prefill) => patch({ prefill }),
      setRequireHeardInFull: (requireHeardInFull) => patch({ requireHeardInFull }),
    },
  };
};
