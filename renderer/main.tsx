import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app';
import { attachCopyGuard } from './clipboard/copy-guard';
import { resolveLanguage } from '../shared/settings/effective-settings';
import { defaultSettings } from '../shared/settings/settings';
import { createI18n } from './i18n';
import { createAppStore } from './store';
import './styles.css';

async function boot(): Promise<void> {
  // Before anything renders: no clip text may ever reach the OS clipboard.
  attachCopyGuard();
  const api = window.reviewer;
  // The language comes from the settings before anything renders, so no screen flashes in another.
  const saved = await api.settings.get();
  const i18n = await createI18n(resolveLanguage(saved.ok ? saved.value.values : defaultSettings, navigator.languages));
  document.documentElement.lang = i18n.language;
  const root = document.getElementById('root');
  if (!root) {
    throw new Error('index.html has no #root element');
  }
  const isMac = navigator.userAgent.includes('Macintosh');
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <App api={api} store={createAppStore(api)} isMac={isMac} />
      </I18nextProvider>
    </StrictMode>,
  );
}

void boot();
