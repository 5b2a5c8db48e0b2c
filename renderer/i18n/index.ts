/**
 * The i18n layer: every string the UI shows comes from these bundled resources, so the app
 * speaks the reviewer's language with no network access.
 */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import es from './locales/es.json';
import ro from './locales/ro.json';

export const resources = { en: { translation: en }, es: { translation: es }, ro: { translation: ro } } as const;
export type UiLanguage = keyof typeof resources;
export const uiLanguages = Object.keys(resources) as UiLanguage[];

/** Picks the first supported language from the browser's preference list. */
export function pickLanguage(preferred: readonly string[]): UiLanguage {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    const match = uiLanguages.find((l) => l === base);
    if (match) {
      return match;
    }
  }
  return 'en';
}

/** Creates an initialised i18next instance (one per app, or per test). */
export async function createI18n(language: UiLanguage): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    // React escapes text itself; i18next must not escape it a second time.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
