/**
 * How timing figures read, in the UI language: seconds with one decimal for handle times,
 * hours and minutes for shift lengths (whole seconds under a minute), a dash for a figure that does not exist yet.
 */
import type { TFunction } from 'i18next';
import { dateTimeFormat, numberFormat } from '../i18n/intl';

export type Formatters = {
  readonly count: (n: number) => string;
  readonly rate: (n: number | null) => string;
  readonly seconds: (ms: number | null) => string;
  readonly minutes: (ms: number) => string;
  readonly duration: (ms: number) => string;
  readonly percent: (fraction: number | null) => string;
  readonly dateTime: (ms: number | null) => string;
  readonly time: (ms: number) => string;
};

export function formatters(t: TFunction, language: string): Formatters {
  const whole = numberFormat(language, { maximumFractionDigits: 0 });
  const oneDecimal = numberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const dateTime = dateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const time = dateTimeFormat(language, { timeStyle: 'short' });
  const none = t('timing.none');
  return {
    count: (n) => whole.format(n),
    rate: (n) => (n === null ? none : oneDecimal.format(n)),
    seconds: (ms) => (ms === null ? none : t('timing.seconds', { value: oneDecimal.format(ms / 1_000) })),
    minutes: (ms) => t('timing.minutes', { value: whole.format(Math.ceil(ms / 60_000)) }),
    duration: (ms) => {
      if (ms < 60_000) {
        return t('timing.seconds', { value: whole.format(Math.round(ms / 1_000)) });
      }
      const minutes = Math.round(ms / 60_000);
      return t('timing.hoursMinutes', {
        hours: whole.format(Math.floor(minutes / 60)),
        minutes: whole.format(minutes % 60),
      });
    },
    percent: (fraction) =>
      fraction === null ? none : t('timing.percent', { value: oneDecimal.format(fraction * 100) }),
    dateTime: (ms) => (ms === null ? none : dateTime.format(ms)),
    time: (ms) => time.format(ms),
  };
}
