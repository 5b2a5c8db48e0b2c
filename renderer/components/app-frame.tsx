import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';

/** The frame every screen sits in: who is reviewing, in which mode, and the build. */
export function AppFrame({ children }: { readonly children: ReactNode }) {
  const { t } = useTranslation();
  const identity = useAppStore((s) => s.session.info?.identity);
  const mode = useAppStore((s) => s.session.info?.mode);
  const version = useAppStore((s) => s.session.app?.version);
  const error = useAppStore((s) => s.session.error);

  return (
    <div className="frame">
      <header className="topbar">
        <h1>{t('app.name')}</h1>
        {mode && <span className="badge">{mode === 'demo' ? t('frame.demoMode') : t('frame.serviceMode')}</span>}
        <span className="reviewer" data-testid="reviewer">
          {identity ? t('frame.reviewer', { pseudonym: identity.pseudonym }) : t('app.loading')}
        </span>
      </header>
      {error && <p role="alert">{t('errors.loadFailed', { message: error.message })}</p>}
      <main aria-label={t('frame.mainLabel')}>{children}</main>
      <footer className="statusbar">
        <span>{t('frame.helpHint')}</span>
        {version && <span>{t('app.version', { version })}</span>}
      </footer>
    </div>
  );
}
