import { useId, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError, ErrorCode } from '../../../shared/result';
import { formatWait, useErrorText } from '../../i18n/error-text';
import { useAppStore } from '../../store/store-context';

type Field = 'account' | 'password' | 'totp' | 'enrolmentCode';
type ErrorKey =
  `sync.signIn.errors.${'accountMissing' | 'passwordMissing' | 'codeFormat' | 'enrolmentCodeFormat' | 'refused' | 'rateLimited' | 'unreachable' | 'invalid' | 'operator'}`;

/** The sign-in screen's own words for the failures it expects; any other code as the app says it. */
const ERROR_KEYS: Readonly<Partial<Record<ErrorCode, ErrorKey>>> = {
  BAD_CREDENTIALS: 'sync.signIn.errors.refused',
  RATE_LIMITED: 'sync.signIn.errors.rateLimited',
  UNAVAILABLE: 'sync.signIn.errors.unreachable',
  BAD_REQUEST: 'sync.signIn.errors.invalid',
  FORBIDDEN_ROLE: 'sync.signIn.errors.operator',
};

/** An enrolment code is optional; typed, it is 16 letters or digits (dashes and spaces ignored). */
const enrolmentCodeOk = (code: string): boolean =>
  code.trim() === '' || (/^[0-9A-Za-z\s-]+$/.test(code) && code.replace(/[\s-]/g, '').length === 16);

function problems(account: string, password: string, totp: string, code: string): Partial<Record<Field, ErrorKey>> {
  return {
    ...(enrolmentCodeOk(code) ? {} : { enrolmentCode: 'sync.signIn.errors.enrolmentCodeFormat' }),
    ...(account.trim() === '' ? { account: 'sync.signIn.errors.accountMissing' } : {}),
    ...(password === '' ? { password: 'sync.signIn.errors.passwordMissing' } : {}),
    ...(/^[0-9]{6}$/.test(totp) ? {} : { totp: 'sync.signIn.errors.codeFormat' }),
  };
}

/**
 * Sign-in to the annotation service: account, password and the 6-digit code from the
 * reviewer's authenticator app. Shown when a service is configured and nobody is signed in, and
 * when a session expired and the reviewer chose to sign in again (work saved meanwhile waits).
 */
export function SignInScreen() {
  const { t, i18n } = useTranslation();
  const say = useErrorText();
  const id = useId();
  const origin = useAppStore((s) => s.sync.status?.serviceOrigin ?? '');
  const again = useAppStore((s) => s.sync.signInOpen);
  const pending = useAppStore((s) => s.sync.status?.pending ?? 0);
  const busy = useAppStore((s) => s.sync.signingIn);
  const error = useAppStore((s) => s.sync.signInError);
  const signIn = useAppStore((s) => s.sync.signIn);
  const close = useAppStore((s) => s.sync.closeSignIn);
  const [account, setAccount] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [enrolmentCode, setEnrolmentCode] = useState('');
  const [checked, setChecked] = useState(false);
  const invalid = checked ? problems(account, password, totp, enrolmentCode) : {};

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setChecked(true);
    if (Object.keys(problems(account, password, totp, enrolmentCode)).length > 0) {
      return;
    }
    const code = enrolmentCode.trim();
    void signIn({ account: account.trim(), password, totp, ...(code ? { enrolmentCode: code } : {}) }).then((ok) => {
      // A one-time code is spent either way; the password is not kept in the page once used.
      setTotp('');
      setChecked(false);
      if (ok) {
        setPassword('');
        setEnrolmentCode('');
      }
    });
  };
  const message = (e: AppError): string => {
    if (e.code === 'RATE_LIMITED' && e.details) {
      return t('sync.signIn.errors.rateLimitedFor', { wait: formatWait(i18n.language, e.details.retryAfterSeconds) });
    }
    const key = ERROR_KEYS[e.code];
    return key ? t(key) : t('sync.signIn.errors.other', { message: say(e) });
  };
  const field = (name: Field, label: string, input: ReactElement) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      {input}
      {invalid[name] && (
        <p className="field-error" id={`${id}-${name}-error`}>
          {t(invalid[name])}
        </p>
      )}
    </div>
  );
  const describe = (name: Field) =>
    invalid[name] ? { 'aria-invalid': true, 'aria-describedby': `${id}-${name}-error` } : {};

  return (
    <section className="sign-in" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{again ? t('sync.signIn.againTitle') : t('sync.signIn.title')}</h2>
      <p>{t('sync.signIn.intro', { origin })}</p>
      {again && <p>{t('sync.signIn.expired', { n: pending })}</p>}
      {error && (
        <p role="alert" className="sign-in-error">
          {message(error)}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        {field(
          'account',
          t('sync.signIn.account'),
          <input
            id={`${id}-account`}
            name="account"
            autoComplete="username"
            autoFocus
            value={account}
            onChange={(e) => setAccount(e.target.value)}
            {...describe('account')}
          />,
        )}
        {field(
          'password',
          t('sync.signIn.password'),
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            {...describe('password')}
          />,
        )}
        {field(
          'totp',
          t('sync.signIn.code'),
          <input
            id={`${id}-totp`}
            name="totp"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={totp}
            onChange={(e) => setTotp(e.target.value.replace(/\s/g, ''))}
            {...describe('totp')}
          />,
        )}
        <p className="setting-hint">{t('sync.signIn.codeHint')}</p>
        {field(
          'enrolmentCode',
          t('sync.signIn.enrolmentCode'),
          <input
            id={`${id}-enrolmentCode`}
            name="enrolmentCode"
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            value={enrolmentCode}
            onChange={(e) => setEnrolmentCode(e.target.value)}
            {...describe('enrolmentCode')}
          />,
        )}
        <p className="setting-hint">{t('sync.signIn.enrolmentCodeHint')}</p>
        <div className="sign-in-actions">
          <button type="submit" disabled={busy}>
            {busy ? t('sync.signIn.signingIn') : t('sync.signIn.submit')}
          </button>
          {again && (
            <button type="button" onClick={close}>
              {t('sync.signIn.offline')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
