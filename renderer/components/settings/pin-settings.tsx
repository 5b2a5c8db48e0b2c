import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../i18n/error-text';
import { PIN_PATTERN } from '../../../shared/domain/lock';
import { useAppStore } from '../../store/store-context';

type Problem = 'format' | 'mismatch' | 'notSaved';

/**
 * Sets or changes the PIN that unlocks the app: 4 to 12 digits, typed twice, never shown.
 * Main keeps only a salted scrypt verifier of it, sealed under the device key. In demo mode it
 * is the only secret the lock can ask for; with a service it unlocks as the password does.
 */
export function PinSettings() {
  const { t } = useTranslation();
  const say = useErrorText();
  const id = useId();
  const hasPin = useAppStore((s) => s.lock.state?.methods.includes('pin') === true);
  const setPin = useAppStore((s) => s.lock.setPin);
  const [pin, setPinText] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<{ readonly kind: Problem; readonly message?: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setSaved(false);
    if (!PIN_PATTERN.test(pin)) {
      setProblem({ kind: 'format' });
      return;
    }
    if (pin !== again) {
      setProblem({ kind: 'mismatch' });
      return;
    }
    setBusy(true);
    void setPin(pin).then((result) => {
      setBusy(false);
      setProblem(result.ok ? null : { kind: 'notSaved', message: say(result.error) });
      setSaved(result.ok);
      if (result.ok) {
        setPinText('');
        setAgain('');
      }
    });
  };

  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const described = [hintId, problem ? errorId : ''].filter(Boolean).join(' ');
  const invalid = problem ? true : undefined;
  return (
    <fieldset className="settings-group pin-settings" data-testid="pin-settings">
      <legend>{t('lock.pinSettings.heading')}</legend>
      <p className="setting-hint" data-testid="pin-state">
        {hasPin ? t('lock.pinSettings.isSet') : t('lock.pinSettings.notSet')}
      </p>
      <form onSubmit={submit} noValidate>
        <PinInput
          id={`${id}-pin`}
          label={t('lock.pinSettings.newPin')}
          describedBy={described}
          invalid={invalid}
          value={pin}
          onChange={setPinText}
        />
        <PinInput
          id={`${id}-again`}
          label={t('lock.pinSettings.repeatPin')}
          describedBy={described}
          invalid={invalid}
          value={again}
          onChange={setAgain}
        />
        <small id={hintId} className="setting-hint">
          {t('lock.pinSettings.hint')}
        </small>
        {problem && (
          <p id={errorId} role="alert" className="setting-error" data-testid="pin-error">
            {problem.kind === 'notSaved'
              ? t('lock.pinSettings.errors.notSaved', { message: problem.message ?? '' })
              : t(`lock.pinSettings.errors.${problem.kind}`)}
          </p>
        )}
        <p role="status" className="setting-hint" data-testid="pin-status">
          {saved ? t('lock.pinSettings.saved') : ''}
        </p>
        <button type="submit" disabled={busy || pin === '' || again === ''}>
          {hasPin ? t('lock.pinSettings.change') : t('lock.pinSettings.set')}
        </button>
      </form>
    </fieldset>
  );
}

type PinInputProps = {
  readonly id: string;
  readonly label: string;
  readonly describedBy: string;
  readonly invalid: true | undefined;
  readonly value: string;
  readonly onChange: (value: string) => void;
};

/** One hidden, digits-only PIN field; the PIN is typed twice, so both fields are this one. */
function PinInput({ id, label, describedBy, invalid, value, onChange }: PinInputProps) {
  return (
    <div className="setting">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="password"
        inputMode="numeric"
        autoComplete="new-password"
        maxLength={12}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
