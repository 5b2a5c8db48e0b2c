import type { CriticalSpan } from '../domain/annotation';

/**
 * The transcript as it may leave the editor (sync, export): each critical-data span replaced by
 * `[CRITICAL:<category>]`. Overlapping or touching spans of the same category become one marker;
 * where categories overlap, the span that starts first wins its whole extent.
 */
export function withCriticalMarkers(transcript: string, spans: readonly CriticalSpan[]): string {
  const ordered = spans
    .filter((s) => s.start >= 0 && s.start < s.end && s.end <= transcript.length)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: CriticalSpan[] = [];
  for (const span of ordered) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end && span.category === last.category) {
      merged[merged.length - 1] = { ...last, end: Math.max(last.end, span.end) };
    } else if (last && span.start < last.end) {
      if (span.end > last.end) {
        merged.push({ ...span, start: last.end });
      }
    } else {
      merged.push(span);
    }
  }
  let out = '';
  let at = 0;
  for (const span of merged) {
    out += `${transcript.slice(at, span.start)}[CRITICAL:${span.category}]`;
    at = span.end;
  }
  return out + transcript.slice(at);
}
