import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { PEAK_BUCKETS } from '../../audio/peaks';
import { useAppStore } from '../../store/store-context';

const HEIGHT = 48;
const BAR = 3;
const PLAYED = '#7cc4ff';
const UNPLAYED = '#4a5566';
const PLAYHEAD = '#e8ecf2';

function draw(canvas: HTMLCanvasElement, peaks: readonly number[], progress: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    return;
  }
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const head = Math.round(progress * canvas.width);
  peaks.forEach((peak, i) => {
    const h = Math.max(1, peak * (HEIGHT - 4));
    ctx.fillStyle = i * BAR < head ? PLAYED : UNPLAYED;
    ctx.fillRect(i * BAR, (HEIGHT - h) / 2, BAR - 1, h);
  });
  ctx.fillStyle = PLAYHEAD;
  ctx.fillRect(Math.min(canvas.width - 1, head), 0, 1, HEIGHT);
}

/**
 * The clip's waveform with a playhead. Peaks come precomputed (once per clip, while it was
 * prefetched); each redraw is two hundred rectangles in an animation frame, so it never
 * competes with typing.
 */
export function Waveform() {
  const { t } = useTranslation();
  const peaks = useAppStore((s) => s.player.peaks);
  const positionMs = useAppStore((s) => s.player.positionMs);
  const durationMs = useAppStore((s) => s.review.clip?.durationMs ?? 0);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !peaks) {
      return undefined;
    }
    const progress = durationMs > 0 ? Math.min(1, positionMs / durationMs) : 0;
    const frame = requestAnimationFrame(() => draw(el, peaks, progress));
    return () => cancelAnimationFrame(frame);
  }, [peaks, positionMs, durationMs]);

  return (
    <canvas
      ref={canvas}
      className="waveform"
      width={PEAK_BUCKETS * BAR}
      height={HEIGHT}
      role="img"
      aria-label={t('player.waveform')}
      data-ready={peaks !== null}
    />
  );
}
