import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { resolveLanguage } from '../../shared/settings/effective-settings';
import { uiLanguages, type UiLanguage } from '../../shared/settings/settings';
import type { AppStore } from '../store';

/**
 * Shows the UI in the language the settings give: the reviewer's choice, else the system's, and
 * only ever one the policy allows. The language picked at start-up from the system stays while
 * the reviewer has made no choice, so a window is never re-translated under them for nothing.
 */
export function useSettingsLanguage(store: AppStore): void {
  const { i18n } = useTranslation();
  const loaded = useStore(store, (s) => s.settings.loaded);
  const choice = useStore(store, (s) => s.settings.values.uiLanguage);
  // As text, so a new but equal list (every settings push brings one) changes nothing.
  const allowedList = useStore(store, (s) => s.settings.values.uiLanguages.join(','));
  const applied = useRef(false);

  useEffect(() => {
    if (!loaded) {
      return;
    }
    const allowed = allowedList
      .split(',')
      .filter((l): l is UiLanguage => (uiLanguages as readonly string[]).includes(l));
    const first = !applied.current;
    applied.current = true;
    const current = allowed.find((l) => l === i18n.language);
    const language =
      first && choice === null && current
        ? current
        : resolveLanguage({ uiLanguage: choice, uiLanguages: allowed }, navigator.languages);
    document.documentElement.lang = language;
    if (i18n.language !== language) {
      void i18n.changeLanguage(language);
    }
  }, [i18n, loaded, choice, allowedList]);
}
