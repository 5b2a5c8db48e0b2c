import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';

/** Minutes and seconds left, never below zero. */
function left(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Time left of the break, counted from when the panel opened. Visible text only (no live
 * region): a screen reader announcing every second would be no rest at all.
 */
function Countdown({ minutes }: { readonly minutes: number }) {
  const { t } = useTranslation();
  const [start] = useState(() => Date.now());
  const [now, setNow] = useState(start);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const remaining = start + minutes * 60_000 - now;
  return (
    <p className="break-countdown" data-testid="break-countdown">
      {remaining > 0 ? t('break.left', { time: left(remaining) }) : t('break.over')}
    </p>
  );
}

/** Stands in for the review screen during a break: no clip, no audio, one way back. */
export function BreakPanel() {
  const { t } = useTranslation();
  const { flow } = useReview();
  const minutes = useAppStore((s) => s.timing.panel?.breakMinutes ?? null);
  const resume = useRef<HTMLButtonElement>(null);
  useEffect(() => resume.current?.focus(), []);
  return (
    <section className="break-panel" aria-labelledby="break-title" data-testid="break-panel">
      <h2 id="break-title">{t('break.title')}</h2>
      <p>{t('break.body')}</p>
      {minutes !== null && <p data-testid="break-length">{t('pace.breakLength', { minutes })}</p>}
      {minutes !== null && <Countdown minutes={minutes} />}
      <button ref={resume} type="button" onClick={() => flow.breaks.resume()}>
        {t('break.resume')}
      </button>
    </section>
  );
}
