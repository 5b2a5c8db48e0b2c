/**
 * Number and date formatters, made once per language and options and then reused. Building an
 * Intl formatter loads locale data and costs around a millisecond; the review screen formats on
 * every clip switch and every position report, so a new one per render shows in the frame time.
 */
const numbers = new Map<string, Intl.NumberFormat>();
const dates = new Map<string, Intl.DateTimeFormat>();

function cached<F>(cache: Map<string, F>, language: string, options: object, make: () => F): F {
  const key = `${language}\u0000${JSON.stringify(options)}`;
  let formatter = cache.get(key);
  if (!formatter) {
    formatter = make();
    cache.set(key, formatter);
  }
  return formatter;
}

export const numberFormat = (language: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat =>
  cached(numbers, language, options, () => new Intl.NumberFormat(language, options));

export const dateTimeFormat = (language: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat =>
  cached(dates, language, options, () => new Intl.DateTimeFormat(language, options));
