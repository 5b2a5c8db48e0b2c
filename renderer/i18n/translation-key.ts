import type { ParseKeys } from 'i18next';

/**
 * A key of the translations, as typed from locales/en.json (i18next.d.ts): a key that does not
 * exist there fails typecheck, and `t` takes it without a cast.
 */
export type TranslationKey = ParseKeys;
