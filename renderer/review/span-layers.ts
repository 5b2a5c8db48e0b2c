/**
 * Cuts a transcript into runs for the highlight overlay: each run is covered by the same set of
 * tagged spans. Spans that overlap are put on separate tracks (first-fit, in order of start), so
 * two tags on one word are drawn as two separate underlines, each keeping its track along its span.
 */
import type { AnnotationBody } from '../../shared/domain/annotation';

export type LayerKind = 'critical' | 'entity';

/** One tagged span as the overlay draws it. */
export type Layer = {
  readonly kind: LayerKind;
  /** 0 for the first underline under the text, 1 for the one below it, and so on. */
  readonly track: number;
};

/** A run of text [start, end) covered by `layers` (outermost track first); none for plain text. */
export type Run = { readonly start: number; readonly end: number; readonly layers: readonly Layer[] };

type Placed = { readonly start: number; readonly end: number; readonly layer: Layer };

function place(body: AnnotationBody): Placed[] {
  const spans = [
    ...body.critical.map((s) => ({ start: s.start, end: s.end, kind: 'critical' as const })),
    ...body.entities.map((s) => ({ start: s.start, end: s.end, kind: 'entity' as const })),
  ]
    .filter((s) => s.start < s.end && s.end <= body.transcript.length)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  // Where each track is free again: a span takes the lowest track free at its start.
  const freeFrom: number[] = [];
  return spans.map((s) => {
    let track = freeFrom.findIndex((end) => end <= s.start);
    if (track < 0) {
      track = freeFrom.length;
    }
    freeFrom[track] = s.end;
    return { start: s.start, end: s.end, layer: { kind: s.kind, track } };
  });
}

/** The transcript's runs in order, covering it whole; a single plain run when nothing is tagged. */
export function spanRuns(body: AnnotationBody): Run[] {
  const placed = place(body);
  const length = body.transcript.length;
  const cuts = new Set<number>([0, length]);
  for (const p of placed) {
    cuts.add(p.start);
    cuts.add(p.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const runs: Run[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i] ?? 0;
    const end = points[i + 1] ?? length;
    const layers = placed
      .filter((p) => p.start <= start && p.end >= end)
      .map((p) => p.layer)
      .sort((a, b) => a.track - b.track);
    runs.push({ start, end, layers });
  }
  return runs;
}
