/**
 * Tracks which parts of a clip were actually heard, for the "heard in full" rule. Progress
 * counts only while playing continuously; a seek starts a new stretch, so skipping forward
 * over a part does not count that part as heard.
 */

/** Share of the clip that must have been heard: allows for the last frame before 'ended'. */
export const HEARD_IN_FULL_SHARE = 0.95;

type Span = readonly [start: number, end: number];

function merge(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1]) {
      last[1] = Math.max(last[1], end);
    } else {
      out.push([start, end]);
    }
  }
  return out;
}

export class Coverage {
  private spans: Span[] = [];
  private from: number | null = null;

  /** Playback started or continued at `positionMs` without a jump since the last call. */
  observe(positionMs: number): void {
    if (this.from !== null && positionMs > this.from) {
      this.spans = merge([...this.spans, [this.from, positionMs]]);
    }
    this.from = positionMs;
  }

  /** The playhead jumped (seek, skip, replay): the next stretch starts at `positionMs`. */
  jump(positionMs: number): void {
    this.from = positionMs;
  }

  /** Playback stopped (pause): nothing between now and the next observe counts. */
  stop(): void {
    this.from = null;
  }

  /** Playback reached the end: the stretch runs to the end. */
  ended(durationMs: number): void {
    this.observe(durationMs);
    this.from = null;
  }

  /** Milliseconds heard at least once. */
  heardMs(): number {
    return this.spans.reduce((sum, [start, end]) => sum + (end - start), 0);
  }

  /** Whether at least 95% of a clip of `durationMs` has been heard. */
  heardInFull(durationMs: number): boolean {
    return durationMs > 0 && this.heardMs() >= durationMs * HEARD_IN_FULL_SHARE;
  }
}
