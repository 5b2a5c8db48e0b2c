import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useReview } from '../../review/review-context';
import { formatters } from '../../reports/format';
import { useAppStore } from '../../store/store-context';
import { PANEL_REFRESH_MS } from '../../timing/timing';

/**
 * The reviewer's own pace in this shift: clips done, clips per hour, median handle time and
 * time to the next micro-break (active work only: idle time does not bring it closer); a break
 * by hand, and the end of the shift.
 */
export function PacePanel() {
  const { t, i18n } = useTranslation();
  const f = formatters(t, i18n.language);
  const { flow } = useReview();
  const panel = useAppStore((s) => s.timing.panel);
  const refresh = useAppStore((s) => s.timing.refresh);
  const end = useAppStore((s) => s.timing.endShift);
  // Ending the shift is ending the day's work: back to the batch list, the clip's draft saved.
  const endShift = (): void => {
    flow.clips.close();
    void end();
  };

  useEffect(() => {
    void refresh();
    const id = setInterval(() => void refresh(), PANEL_REFRESH_MS);
    return () => clearInterval(id);
  }, [refresh]);

  const nextBreak = !panel
    ? t('timing.none')
    : panel.onBreak
      ? t('pace.onBreak')
      : panel.breakDue
        ? t('pace.breakDue')
        : t('pace.breakIn', { time: f.minutes(panel.nextBreakInMs) });
  return (
    <section className="pace-panel" aria-labelledby="pace-heading" data-testid="pace-panel">
      <h3 id="pace-heading" className="visually-hidden">
        {t('pace.heading')}
      </h3>
      <dl>
        <div>
          <dt>{t('pace.clipsDone')}</dt>
          <dd data-testid="pace-done">{panel ? f.count(panel.clipsDone) : t('timing.none')}</dd>
        </div>
        <div>
          <dt>{t('pace.perHour')}</dt>
          <dd data-testid="pace-rate">{f.rate(panel?.clipsPerHour ?? null)}</dd>
        </div>
        <div>
          <dt>{t('pace.medianHandle')}</dt>
          <dd data-testid="pace-median">{f.seconds(panel?.medianHandleMs ?? null)}</dd>
        </div>
        <div>
          <dt>{t('pace.nextBreak')}</dt>
          <dd data-testid="pace-break">{nextBreak}</dd>
        </div>
      </dl>
      <div className="pace-actions">
        <button type="button" onClick={() => flow.breaks.take()}>
          {t('pace.takeBreak')}
        </button>
        <button type="button" onClick={endShift}>
          {t('pace.endShift')}
        </button>
      </div>
    </section>
  );
}
