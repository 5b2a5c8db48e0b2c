/**
 * What leaves the workstation for an annotation revision: the transcript with critical data
 * replaced by its category, and only the entities that lie outside critical data, as text.
 */
import type { Annotation, CriticalSpan } from '../domain/annotation';
import { withCriticalMarkers } from '../review/critical';
import type { AnnotationOp } from './messages';

const overlaps = (a: { start: number; end: number }, b: CriticalSpan): boolean => a.start < b.end && b.start < a.end;

/** The upload form of one stored revision; the same revision always gives the same op. */
export function toAnnotationOp(a: Annotation): AnnotationOp {
  const categories = [...new Set(a.critical.map((s) => s.category))].sort();
  return {
    opId: a.opId,
    batchId: a.batchId,
    clipId: a.clipId,
    revision: a.revision,
    disposition: a.disposition,
    transcript: withCriticalMarkers(a.transcript, a.critical),
    criticalCategories: categories,
    entities: a.entities
      .filter((e) => e.start < e.end && e.end <= a.transcript.length && !a.critical.some((c) => overlaps(e, c)))
      .map((e) => ({ type: e.type, text: a.transcript.slice(e.start, e.end), ...(e.kbId ? { kbId: e.kbId } : {}) })),
    submittedAt: a.submittedAt,
  };
}
