import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AppError } from '../../../shared/result';
import { useAppStore } from '../../store/store-context';
import { errorText } from '../../i18n/error-text';
import { dateTimeFormat } from '../../i18n/intl';

/**
 * What shows while the app is locked: nothing of the work, only the unlock form. The sign-in
 * password unlocks it (checked on this workstation, so it works offline), as does the PIN the
 * reviewer set. With neither (demo mode without a PIN) there is nothing to ask for: the lock has
 * still stopped the audio and cleared the keys, and the reviewer confirms to carry on.
 */
export function LockScreen() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const state = useAppStore((s) => s.lock.state);
  const busy = useAppStore((s) => s.lock.unlocking);
  const error = useAppStore((s) => s.lock.error);
  const unlock = useAppStore((s) => s.lock.unlock);
  const [secret, setSecret] = useState('');
  if (!state?.locked) {
    return null;
  }
  const needsSecret = !state.methods.includes('none');
  const pinOnly = state.methods.length === 1 && state.methods[0] === 'pin';
  const label = state.methods.includes('pin')
    ? state.methods.includes('password')
      ? t('lock.passwordOrPin')
      : t('lock.pin')
    : t('lock.password');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void unlock(needsSecret ? secret : undefined).then(() => setSecret(''));
  };
  const errorId = `${id}-error`;
  return (
    <section className="lock-screen sign-in" aria-labelledby={`${id}-title`} data-testid="lock-screen">
      <h2 id={`${id}-title`}>{t('lock.title')}</h2>
      <p>{t(`lock.reason.${state.reason ?? 'manual'}`)}</p>
      <p>{t('lock.kept')}</p>
      {!needsSecret && <p>{t('lock.noSecret')}</p>}
      {(error || state.retryAt !== null) && (
        <p role="alert" id={errorId} className="sign-in-error" data-testid="lock-error">
          {lockError(t, i18n.language, error, state.retryAt)}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        {needsSecret && (
          <div className="field">
            <label htmlFor={`${id}-secret`}>{label}</label>
            <input
              id={`${id}-secret`}
              name="secret"
              type="password"
              inputMode={pinOnly ? 'numeric' : undefined}
              autoComplete="current-password"
              autoFocus
              aria-describedby={error ? errorId : undefined}
              aria-invalid={error ? true : undefined}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
            />
          </div>
        )}
        <div className="sign-in-actions">
          <button type="submit" disabled={busy || (needsSecret && secret === '')} autoFocus={!needsSecret}>
            {needsSecret ? t('lock.unlock') : t('lock.continue')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Why the last try failed and, after too many, from when the next is taken (main's clock decides). */
function lockError(t: TFunction, language: string, error: AppError | null, retryAt: number | null): string {
  const wait =
    retryAt === null
      ? null
      : t('lock.errors.waitUntil', { time: dateTimeFormat(language, { timeStyle: 'medium' }).format(retryAt) });
  const why = error === null ? null : reason(t, language, error, wait !== null);
  return [why, wait].filter((part) => part !== null).join(' ');
}

/** The lock screen's own words for a failed try; anything else as the app says that code. */
function reason(t: TFunction, language: string, error: AppError, waitShown: boolean): string | null {
  switch (error.code) {
    case 'WRONG_SECRET':
      return t('lock.errors.wrong');
    case 'BAD_REQUEST':
      return t('lock.errors.empty');
    case 'RATE_LIMITED':
      // The time of the next try says it all; without it (an old state), the general line does.
      return waitShown ? null : t('lock.errors.wait');
    default:
      return t('lock.errors.failed', { message: errorText(t, language, error) });
  }
}
