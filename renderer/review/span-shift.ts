/**
 * Keeps tagged spans on the words they tag while the transcript is edited. The edit is found by
 * a simple diff (common prefix and suffix of the old and new text): spans wholly before it stay,
 * spans wholly after it move by the change in length, and spans it touches inside are dropped,
 * since their text is no longer what the reviewer tagged.
 */
import type { AnnotationBody } from '../../shared/domain/annotation';

/** The changed region: [start, oldEnd) of the old text became [start, newEnd) of the new. */
export type TextEdit = { readonly start: number; readonly oldEnd: number; readonly newEnd: number };

export function findEdit(before: string, after: string): TextEdit | null {
  if (before === after) {
    return null;
  }
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) {
    prefix += 1;
  }
  let suffix = 0;
  while (
    suffix < limit - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix += 1;
  }
  return { start: prefix, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}

type Span = { readonly start: number; readonly end: number };

/** Where a span lies after `edit`; null when the edit overlaps it (or falls strictly inside it). */
export function shiftSpan<S extends Span>(span: S, edit: TextEdit): S | null {
  if (span.end <= edit.start) {
    return span;
  }
  if (span.start >= edit.oldEnd) {
    const delta = edit.newEnd - edit.oldEnd;
    return { ...span, start: span.start + delta, end: span.end + delta };
  }
  return null;
}

/** The body with `transcript` and every span moved, or dropped, to follow the edit. */
export function editBody(body: AnnotationBody, transcript: string): AnnotationBody {
  const edit = findEdit(body.transcript, transcript);
  if (!edit) {
    return body;
  }
  const follow = <S extends Span>(spans: readonly S[]): S[] =>
    spans.map((s) => shiftSpan(s, edit)).filter((s): s is S => s !== null && s.end <= transcript.length);
  return { transcript, critical: follow(body.critical), entities: follow(body.entities) };
}
