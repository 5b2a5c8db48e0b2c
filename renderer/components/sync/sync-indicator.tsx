import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useErrorText } from '../../i18n/error-text';
import type { NeedsAttention } from '../../../shared/domain/sync';
import { useAppStore } from '../../store/store-context';
import { HandOver } from './hand-over';

const time = (at: number, language: string): string =>
  new Date(at).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A clock's distance from service time in the largest unit that reads well: minutes, hours or days. */
export function skewAmount(skewMs: number, language: string): string {
  const ms = Math.abs(skewMs);
  const [value, unit] =
    ms >= 2 * DAY_MS
      ? [Math.round(ms / DAY_MS), 'day']
      : ms >= 2 * HOUR_MS
        ? [Math.round(ms / HOUR_MS), 'hour']
        : [Math.max(1, Math.round(ms / 60_000)), 'minute'];
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/**
 * Where sync stands, in the app frame: online or offline (or "sign in again"), how much saved
 * work waits, what needs the reviewer's attention, whether the service lost work it had
 * confirmed (and what was sent again), and when the last sync completed. Nothing
 * shows in demo mode, where there is no service.
 */
export function SyncIndicator() {
  // Only whether a service is configured: in demo mode no status change re-renders anything.
  const configured = useAppStore((s) => s.sync.status?.configured === true);
  return configured ? <SyncStatus /> : null;
}

function SyncStatus() {
  const { t, i18n } = useTranslation();
  const say = useErrorText();
  const status = useAppStore((s) => s.sync.status);
  const signedIn = useAppStore((s) => s.session.info?.mode === 'service');
  const notice = useAppStore((s) => s.sync.notice);
  const signInOpen = useAppStore((s) => s.sync.signInOpen);
  // An import's outcome is told on the batch list, beside its progress.
  const offline = useAppStore((s) =>
    s.sync.offline?.kind === 'exported' || s.sync.offline?.kind === 'failed' ? s.sync.offline : null,
  );
  // Main refuses a sign-out while locked (it would drop the unlock secrets): not offered then.
  const locked = useAppStore((s) => s.lock.state?.locked === true);
  // Compared field by field: the actions never change, so they never re-render the indicator.
  const sync = useAppStore(
    useShallow((s) => ({
      openSignIn: s.sync.openSignIn,
      retry: s.sync.retry,
      importFolder: s.sync.importFolder,
      exportResults: s.sync.exportResults,
      signOut: s.sync.signOut,
      clearOffline: s.sync.clearOffline,
      setNotice: s.sync.setNotice,
      resolve: s.sync.resolve,
    })),
  );
  const attentionError = useAppStore((s) => s.sync.attentionError);
  if (!status?.configured) {
    return null;
  }
  const { connection } = status;
  const attention = (n: NeedsAttention): string =>
    t(`sync.attention.${n.kind}`, { clipId: n.clipId ?? '', revision: n.revision ?? 0 }) +
    ' — ' +
    t(`sync.attention.code.${n.code}`) +
    (n.currentRevision !== null ? ` (${t('sync.attention.current', { n: n.currentRevision })})` : '');

  return (
    <section
      className="sync-indicator"
      aria-label={t('sync.label')}
      data-testid="sync-status"
      data-connection={connection}
    >
      <span className={`sync-connection sync-${connection}`} role="status">
        {t(`sync.connection.${connection}`)}
      </span>
      {signedIn && <span data-testid="sync-pending">{t('sync.pending', { n: status.pending })}</span>}
      {signedIn && (
        <span>
          {status.lastSyncAt
            ? t('sync.lastSync', { time: time(status.lastSyncAt, i18n.language) })
            : t('sync.neverSynced')}
        </span>
      )}
      {status.clockSkewMs !== null && (
        <p role="status" className="sync-notice" data-testid="sync-clock-skew">
          {t(status.clockSkewMs > 0 ? 'sync.clock.ahead' : 'sync.clock.behind', {
            amount: skewAmount(status.clockSkewMs, i18n.language),
          })}
        </p>
      )}
      {status.serviceKey?.refused && (
        <p role="alert" className="sync-notice" data-testid="sync-key-refused">
          {t('sync.keyRefused')}
        </p>
      )}
      {status.needsAttention.length > 0 && (
        <details className="sync-attention" data-testid="sync-attention">
          <summary>{t('sync.needsAttention', { n: status.needsAttention.length })}</summary>
          <p>{t('sync.attention.explain')}</p>
          <ul>
            {status.needsAttention.map((n) => (
              <li key={n.opId} data-testid="sync-attention-item" data-code={n.code}>
                <span>{attention(n)}</span>{' '}
                {n.canResend && (
                  <button type="button" onClick={() => void sync.resolve(n.opId, 'resend')}>
                    {t('sync.attention.resend')}
                  </button>
                )}{' '}
                <button type="button" onClick={() => void sync.resolve(n.opId, 'discard')}>
                  {t('sync.attention.discard')}
                </button>
              </li>
            ))}
          </ul>
          {attentionError && (
            <p role="alert" className="sync-notice">
              {t('sync.attention.failed', { message: say(attentionError) })}
            </p>
          )}
        </details>
      )}
      {status.recovery.state !== 'none' && (
        <p className="sync-recovery" role="status" data-testid="sync-recovery" data-state={status.recovery.state}>
          {status.recovery.state === 'recovering'
            ? t('sync.recovery.recovering')
            : t('sync.recovery.recovered', {
                resent: status.recovery.resent,
                time: status.recovery.at ? time(status.recovery.at, i18n.language) : '—',
              })}
          {status.recovery.unrecoverable > 0 &&
            ` ${t('sync.recovery.unrecoverable', { n: status.recovery.unrecoverable })}`}
        </p>
      )}
      {connection === 'signInRequired' && !signInOpen && (
        <button type="button" onClick={sync.openSignIn}>
          {t('sync.signInAgain')}
        </button>
      )}
      {connection === 'offline' && (
        <button type="button" onClick={() => void sync.retry()}>
          {t('sync.retryNow')}
        </button>
      )}
      {/* Offline stations carry packages by hand; online, the sender does this by itself. */}
      {signedIn && connection !== 'online' && (
        <>
          <button type="button" onClick={() => void sync.importFolder()}>
            {t('sync.offline.import')}
          </button>
          <button type="button" onClick={() => void sync.exportResults()}>
            {t('sync.offline.export')}
          </button>
        </>
      )}
      {/* Offline too, so a hand-over that found the service gone still says why it did not happen. */}
      {signedIn && !locked && (connection === 'online' || connection === 'offline') && <HandOver />}
      {signedIn && !locked && connection !== 'signInRequired' && (
        <button type="button" onClick={() => void sync.signOut()}>
          {t('sync.signOut')}
        </button>
      )}
      {offline && (
        <p role="status" className="sync-notice" data-testid="sync-offline">
          {offline.kind === 'exported'
            ? t('sync.offline.exported', { n: offline.report.ops + offline.report.timing })
            : t('sync.offline.failed', { message: say(offline.error) })}{' '}
          <button type="button" onClick={sync.clearOffline}>
            {t('sync.dismiss')}
          </button>
        </p>
      )}
      {notice && (
        <p role="alert" className="sync-notice">
          {t(`sync.notice.${notice}`)}{' '}
          <button type="button" onClick={() => sync.setNotice(null)}>
            {t('sync.dismiss')}
          </button>
        </p>
      )}
    </section>
  );
}
