import type {
  AnnotationBody,
  CriticalSpan,
  Disposition,
  EntitySpan,
  ReviewState,
} from '../../../shared/domain/annotation';
import type { ClipSummary } from '../../../shared/domain/clip';
import type { AppError } from '../../../shared/result';
import type { ClipInfo } from '../../audio/audio-port';
import { editBody } from '../../review/span-shift';
import type { SliceCreator } from '../types';

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'error';
export type SubmittedClip = ReviewState['submitted'][number];
/** Why the screen is telling the reviewer something: a refused submit, or the end of a batch. */
export type ReviewNotice =
  'notHeard' | 'batchDone' | 'noSelection' | 'emptyTranscript' | 'listenAsked' | 'listenFailed' | null;
/**
 * The step of the review an error came from; each has its own wording. `notStored` is a submit
 * the disk refused (full, read-only, failing, damaged): nothing of it was stored, its text is
 * back on screen, and it must not be called safe.
 */
export type ReviewErrorStage = 'load' | 'save' | 'submit' | 'notStored';
/**
 * What covers the review screen: a tag menu for the selected text, the escalation dialog, its
 * confirmation, a break (the clip hidden and its audio stopped), a suggestion to take one, or
 * the menu of tags to insert at the caret. Hotkeys are off under each.
 */
export type ReviewPanel =
  'critical' | 'entity' | 'escalation' | 'escalated' | 'break' | 'breakSuggested' | 'insertTag' | 'batchDone' | null;
/** A selection in the transcript, half-open, as the tag menu was opened on it. */
export type TextRange = { readonly start: number; readonly end: number };
export type SpanKind = 'critical' | 'entities';

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
  /** What failed: opening (a batch, a clip, its work), saving a draft, or a submit. */
  readonly errorDuring: ReviewErrorStage;
  readonly panel: ReviewPanel;
  /** The text a tag menu will tag; set while one is open. */
  readonly tagRange: TextRange | null;
};

type ReviewActions = {
  opening: (batchId: string) => void;
  batchLoaded: (clips: readonly ClipSummary[], submitted: readonly SubmittedClip[]) => void;
  clipOpened: (work: OpenedWork) => void;
  edited: (transcript: string) => void;
  setDisposition: (disposition: Disposition) => void;
  setSaveStatus: (status: SaveStatus) => void;
  setPanel: (panel: ReviewPanel, tagRange?: TextRange | null) => void;
  addCritical: (span: CriticalSpan) => void;
  addEntity: (span: EntitySpan) => void;
  removeSpan: (kind: SpanKind, index: number) => void;
  heard: () => void;
  markSubmitted: (clip: SubmittedClip) => void;
  /** A submit was refused: the clip is back to what it was before (`previous`, or not submitted). */
  unmarkSubmitted: (clipId: string, previous: SubmittedClip | null) => void;
  /** The open clip was submitted as `revision` and stays open: further work amends it. */
  revised: (revision: number) => void;
  setSubmitting: (submitting: boolean) => void;
  setNotice: (notice: ReviewNotice) => void;
  failed: (error: AppError | null, during?: ReviewErrorStage) => void;
  /** The clip at `index` was erased for withdrawn consent: its place shows why, with no clip open. */
  withdrawnShown: (index: number, error: AppError) => void;
  closed: () => void;
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
  errorDuring: 'load',
  panel: null,
  tagRange: null,
} as const satisfies Omit<ReviewData, 'lastBatchId' | 'loadSeq'>;

export const createReviewSlice = (): SliceCreator<ReviewSlice> => (set) => {
  const patch = (p: Partial<ReviewData>): void => set((s) => ({ review: { ...s.review, ...p } }));
  const patchBody = (change: (body: AnnotationBody) => AnnotationBody): void =>
    set((s) => ({ review: { ...s.review, body: change(s.review.body), saveStatus: 'idle' } }));
  return {
    review: {
      ...closedState,
      lastBatchId: null,
      loadSeq: 0,
      opening: (batchId) =>
        set((s) => ({ review: { ...s.review, ...closedState, batchId, lastBatchId: batchId, loading: true } })),
      batchLoaded: (clips, submitted) => patch({ clips, submitted }),
      clipOpened: (work) =>
        set((s) => ({
          review: { ...s.review, ...work, loading: false, notice: null, error: null, loadSeq: s.review.loadSeq + 1 },
        })),
      edited: (transcript) => patchBody((body) => editBody(body, transcript)),
      setDisposition: (disposition) => patch({ disposition }),
      setSaveStatus: (saveStatus) => patch({ saveStatus }),
      setPanel: (panel, tagRange = null) => patch({ panel, tagRange }),
      addCritical: (span) => patchBody((b) => ({ ...b, critical: [...b.critical, span] })),
      addEntity: (span) => patchBody((b) => ({ ...b, entities: [...b.entities, span] })),
      removeSpan: (kind, index) =>
        patchBody((b) =>
          kind === 'critical'
            ? { ...b, critical: b.critical.filter((_, i) => i !== index) }
            : { ...b, entities: b.entities.filter((_, i) => i !== index) },
        ),
      heard: () =>
        set((s) => ({
          review: { ...s.review, heardInFull: true, notice: s.review.notice === 'notHeard' ? null : s.review.notice },
        })),
      markSubmitted: (clip) =>
        set((s) => ({
          review: { ...s.review, submitted: [...s.review.submitted.filter((c) => c.clipId !== clip.clipId), clip] },
        })),
      unmarkSubmitted: (clipId, previous) =>
        set((s) => {
          const others = s.review.submitted.filter((c) => c.clipId !== clipId);
          return { review: { ...s.review, submitted: previous ? [...others, previous] : others } };
        }),
      revised: (revision) => patch({ basedOnRevision: revision, saveStatus: 'saved' }),
      setSubmitting: (submitting) => patch({ submitting }),
      setNotice: (notice) => patch({ notice }),
      failed: (error, during = 'load') => patch({ error, errorDuring: during, loading: false }),
      withdrawnShown: (index, error) =>
        patch({
          index,
          clip: null,
          body: emptyBody,
          basedOnRevision: 0,
          heardInFull: false,
          saveStatus: 'idle',
          loading: false,
          notice: null,
          panel: null,
          tagRange: null,
          error,
          errorDuring: 'load',
        }),
      closed: () => set((s) => ({ review: { ...s.review, ...closedState } })),
    },
  };
};
