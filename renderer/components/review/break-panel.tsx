import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';

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
      <button ref={resume} type="button" onClick={() => flow.breaks.resume()}>
        {t('break.resume')}
      </button>
    </section>
  );
}
