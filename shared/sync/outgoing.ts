/**
 * What leaves the workstation for an annotation revision: the transcript with critical data
 * replaced by its category, and only the entities that lie outside critical data, as text.
 */
import type { Annotation, CriticalSpan } from '../domain/annotation';
import { withCriticalMarkers } from '../review/critical';
import type { AnnotationOp } from './messages';

const overlaps = (a: { start: number; end: number }, b: CriticalSpan): boolean => a.start < b.end && b.start < a.end;

/**
 * Where a revision goes in the service's history: the revision it becomes there and the op it
 * amends (null for a clip's first). Usually the revision as saved and its predecessor here; a
 * revision resent on another device's work gets a new op id and the service's next number.
 */
export type OpPlacement = {
  readonly opId?: string;
  readonly revision?: number;
  readonly baseOpId: string | null;
};

/** The upload form of one stored revision; the same revision and placement always give the same op. */
export function toAnnotationOp(a: Annotation, at: OpPlacement): AnnotationOp {
  const categories = [...new Set(a.critical.map((s) => s.category))].sort();
  const revision = at.revision ?? a.revision;
  return {
    opId: at.opId ?? a.opId,
    batchId: a.batchId,
    clipId: a.clipId,
    revision,
    baseRevision: revision - 1,
    baseOpId: at.baseOpId,
    disposition: a.disposition,
    transcript: withCriticalMarkers(a.transcript, a.critical),
    criticalCategories: categories,
    entities: a.entities
      .filter((e) => e.start < e.end && e.end <= a.transcript.length && !a.critical.some((c) => overlaps(e, c)))
      .map((e) => ({ type: e.type, text: a.transcript.slice(e.start, e.end), ...(e.kbId ? { kbId: e.kbId } : {}) })),
    submittedAt: a.submittedAt,
  };
}
