/**
 * Pure decisions of the review flow: where a batch resumes, where "next" goes, and what a
 * clip's editor starts with.
 */
import type { AnnotationBody, ClipWork, Disposition, ReviewState } from '../../shared/domain/annotation';
import type { ClipSummary } from '../../shared/domain/clip';
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
