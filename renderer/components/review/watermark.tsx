import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/store-context';
import { dateTimeFormat } from '../../i18n/intl';

const MINUTE = 60_000;

/**
 * A visible watermark with the reviewer's pseudonym and the time, so a photo or screenshot of
 * the screen says who took it and when. Updates on each minute boundary.
 */
export function Watermark() {
  const { t, i18n } = useTranslation();
  const pseudonym = useAppStore((s) => s.session.info?.identity.pseudonym ?? '');
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const schedule = (): void => {
      timer = setTimeout(
        () => {
          setNow(Date.now());
          schedule();
        },
        MINUTE - (Date.now() % MINUTE),
      );
    };
    schedule();
    return () => clearTimeout(timer);
  }, []);

  const time = dateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' }).format(now);
  return (
    <div className="watermark" aria-hidden="true" data-testid="watermark">
      {t('review.watermark', { pseudonym, time })}
    </div>
  );
}
