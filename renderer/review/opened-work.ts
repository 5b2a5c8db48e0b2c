/**
 * Pure decisions of the review flow: where a batch resumes, where "next" goes, and what a
 * clip's editor starts with.
 */
import type { AnnotationBody, ClipWork, Disposition, ReviewState } from '../../shared/domain/annotation';
import type { ClipSummary } from '../../shared/domain/clip';
import type { ClipRef } from '../../shared/ipc/contract';
import type { PrefillMode } from '../../shared/settings/settings';

type Submitted = ReviewState['submitted'];

/** A set, so finding the next clip stays linear in a batch of a thousand clips. */
const submittedIds = (submitted: Submitted): ReadonlySet<string> => new Set(submitted.map((s) => s.clipId));

/** The clip that was open last; else the first not yet submitted; else the first. */
export function startIndex(clips: readonly ClipSummary[], state: ReviewState): number {
  const current = clips.findIndex((c) => c.id === state.currentClipId);
  if (current >= 0) {
    return current;
  }
  const done = submittedIds(state.submitted);
  return Math.max(
    0,
    clips.findIndex((c) => !done.has(c.id)),
  );
}

/** Where the review screen stands: the batch, its clips, and the clip shown (while it loads, too). */
type OpenBatch = {
  readonly batchId: string | null;
  readonly clips: readonly ClipSummary[];
  readonly index: number;
  readonly clip: { readonly id: string } | null;
  readonly loading: boolean;
};

/** The clip at `index` of the open batch; null past either end or with no batch open. */
export function clipRefAt(s: Pick<OpenBatch, 'batchId' | 'clips'>, index: number): ClipRef | null {
  const clip = s.clips[index];
  return s.batchId !== null && clip ? { batchId: s.batchId, clipId: clip.id } : null;
}

/** The clip on screen, once its saved work has loaded; null otherwise. */
export function loadedClipRef(s: OpenBatch): ClipRef | null {
  const ref = clipRefAt(s, s.index);
  return ref && s.clip?.id === ref.clipId && !s.loading ? ref : null;
}

/** The first clip after `index` (wrapping round) not yet submitted; null when all are. */
export function nextUnsubmitted(clips: readonly ClipSummary[], submitted: Submitted, index: number): number | null {
  const done = submittedIds(submitted);
  for (let step = 1; step <= clips.length; step += 1) {
    const i = (index + step) % clips.length;
    const clip = clips[i];
    if (clip && !done.has(clip.id)) {
      return i;
    }
  }
  return null;
}

/** Exactly the fields the body schema accepts: Annotation and Draft carry more. */
export function bodyOf(source: AnnotationBody): AnnotationBody {
  return {
    transcript: source.transcript,
    critical: source.critical.map(({ start, end, category }) => ({ start, end, category })),
    entities: source.entities.map(({ start, end, type, kbId }) =>
      kbId === undefined ? { start, end, type } : { start, end, type, kbId },
    ),
  };
}

export type StartingWork = {
  readonly body: AnnotationBody;
  readonly disposition: Disposition;
  readonly basedOnRevision: number;
  readonly fromDraft: boolean;
};

/**
 * What a clip opens with: a draft only when it is newer than the latest revision (an old
 * draft must never overwrite a newer answer), else the latest revision, else the prefill.
 * A draft's disposition, when one was chosen, wins over the latest revision's.
 */
export function startingWork(work: ClipWork, asrText: string, prefill: PrefillMode): StartingWork {
  const { latest, draft } = work;
  const basedOnRevision = latest?.revision ?? 0;
  const disposition: Disposition = latest?.disposition ?? 'transcribed';
  const draftIsNewer =
    draft !== null &&
    (latest === null || (draft.basedOnRevision >= latest.revision && draft.savedAt >= latest.submittedAt));
  if (draft && draftIsNewer) {
    return { body: bodyOf(draft), disposition: draft.disposition ?? disposition, basedOnRevision, fromDraft: true };
  }
  if (latest) {
    return { body: bodyOf(latest), disposition, basedOnRevision, fromDraft: false };
  }
  return {
    body: { transcript: prefill === 'asr' ? asrText : '', critical: [], entities: [] },
    disposition,
    basedOnRevision,
    fromDraft: false,
  };
}
