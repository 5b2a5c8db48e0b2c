import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../i18n/error-text';
import { useAppStore } from '../store/store-context';
import { HelpQueueButton } from './hearing/help-queue-button';
import { EscalationNotice } from './inbox/escalation-notice';
import { InboxButton } from './inbox/inbox-button';
import { LockButton } from './lock/lock-button';
import { ReportsButton } from './reports/reports-button';
import { SyncIndicator } from './sync/sync-indicator';

/** The frame every screen sits in: who is reviewing, in which mode, and the build. */
export function AppFrame({
  children,
  lockKeys,
  backKeys,
}: {
  readonly children: ReactNode;
  readonly lockKeys?: string;
  readonly backKeys?: string;
}) {
  const { t } = useTranslation();
  const say = useErrorText();
  const identity = useAppStore((s) => s.session.info?.identity);
  const mode = useAppStore((s) => s.session.info?.mode);
  const version = useAppStore((s) => s.session.app?.version);
  const error = useAppStore((s) => s.session.error);
  // With a service, the sync indicator says where things stand; until sign-in there is no reviewer to name.
  const service = useAppStore((s) => s.sync.status?.configured === true);
  const notice = useAppStore((s) => s.ui.notice);
  const dismiss = useAppStore((s) => s.ui.dismissNotice);

  return (
    <div className="frame">
      <header className="topbar">
        <h1>{t('app.name')}</h1>
        {mode && !service && (
          <span className="badge">{mode === 'demo' ? t('frame.demoMode') : t('frame.serviceMode')}</span>
        )}
        {!(service && mode === 'demo') && (
          <span className="reviewer" data-testid="reviewer">
            {identity
              ? t(identity.role === 'supervisor' ? 'frame.supervisor' : 'frame.reviewer', {
                  pseudonym: identity.pseudonym,
                })
              : t('app.loading')}
          </span>
        )}
        <SyncIndicator />
        <InboxButton />
        <HelpQueueButton />
        <ReportsButton />
        <LockButton keys={lockKeys} />
      </header>
      {notice && (
        <p className="app-notice" role="status" data-testid="app-notice">
          {t(`frame.${notice}`, { keys: backKeys })}{' '}
          <button type="button" aria-keyshortcuts="Escape" onClick={dismiss}>
            {t('frame.dismiss')}
          </button>
        </p>
      )}
      <EscalationNotice />
      {error && <p role="alert">{t('errors.loadFailed', { message: say(error) })}</p>}
      <main aria-label={t('frame.mainLabel')}>{children}</main>
      <footer className="statusbar">
        <span>{t('frame.helpHint')}</span>
        {version && <span>{t('app.version', { version })}</span>}
      </footer>
    </div>
  );
}
