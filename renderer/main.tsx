import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app';
import { createI18n, pickLanguage } from './i18n';
import { createAppStore } from './store';
import './styles.css';

async function boot(): Promise<void> {
  const api = window.reviewer;
  const i18n = await createI18n(pickLanguage(navigator.languages));
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
