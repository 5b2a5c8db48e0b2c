import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { WholeRange } from '../../../shared/settings/setting-limits';
import type { LockableKey, UserSettings } from '../../../shared/settings/settings';
import { useErrorText } from '../../i18n/error-text';
import { formatList, parseList } from '../../settings/list-input';
import { useAppStore } from '../../store/store-context';

type FieldProps = {
  /** The setting, as the lock list names it. */
  readonly setting: LockableKey;
  readonly label: string;
  /** A line under the control saying what it takes. */
  readonly hint?: string;
};

/** Saves a change; on refusal keeps a message in the reviewer's language for the field. */
function useSave() {
  const { t } = useTranslation();
  const say = useErrorText();
  const update = useAppStore((s) => s.settings.update);
  const [error, setError] = useState<string | null>(null);
  const save = async (patch: UserSettings): Promise<boolean> => {
    const result = await update(patch);
    setError(
      result.ok
        ? null
        : result.error.code === 'POLICY_PINNED'
          ? t('settings.errors.locked')
          : t('settings.errors.notSaved', { message: say(result.error) }),
    );
    return result.ok;
  };
  return { error, setError, save };
}

const fieldId = (setting: LockableKey): string => `setting-${setting.replace('.', '-')}`;

/**
 * A labelled control with its hint, its "set by your administrator" note when the policy decides
 * it, and its error; the control is described by all three and disabled when locked.
 */
function Field({
  setting,
  label,
  hint,
  error,
  control,
  inline = false,
}: FieldProps & { error: string | null; inline?: boolean; control: (a: ControlAttrs) => ReactNode }) {
  const { t } = useTranslation();
  const locked = useAppStore((s) => s.settings.locked.includes(setting));
  const id = fieldId(setting);
  const notes = [hint ? `${id}-hint` : '', locked ? `${id}-locked` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const attrs: ControlAttrs = {
    id,
    disabled: locked,
    'aria-describedby': notes === '' ? undefined : notes,
    'aria-invalid': error ? true : undefined,
  };
  return (
    <div className="setting" data-setting={setting} data-locked={locked}>
      {inline ? (
        <label htmlFor={id} className="setting-inline">
          {control(attrs)} {label}
        </label>
      ) : (
        <>
          <label htmlFor={id}>{label}</label>
          {control(attrs)}
        </>
      )}
      {hint && (
        <small id={`${id}-hint`} className="setting-hint">
          {hint}
        </small>
      )}
      {locked && (
        <small id={`${id}-locked`} className="setting-locked">
          {t('settings.locked')}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} className="setting-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

type ControlAttrs = {
  id: string;
  disabled: boolean;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
};

/** A yes/no setting; saved as soon as it is toggled. */
export function ToggleSetting(
  p: FieldProps & { readonly checked: boolean; readonly patch: (on: boolean) => UserSettings },
) {
  const { error, save } = useSave();
  return (
    <Field
      {...p}
      error={error}
      inline
      control={(a) => (
        <input
          {...a}
          type="checkbox"
          checked={p.checked}
          onChange={(e) => void save(p.patch(e.currentTarget.checked))}
        />
      )}
    />
  );
}

/** A choice among fixed options; saved as soon as one is chosen. */
export function SelectSetting(
  p: FieldProps & {
    readonly value: string;
    readonly options: readonly { value: string; label: string }[];
    readonly patch: (value: string) => UserSettings;
  },
) {
  const { error, save } = useSave();
  return (
    <Field
      {...p}
      error={error}
      control={(a) => (
        <select {...a} value={p.value} onChange={(e) => void save(p.patch(e.currentTarget.value))}>
          {p.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** Commits a text draft on Enter or when the field loses focus; Escape is left to close the screen. */
function commitKeys(commit: () => void) {
  return (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commit();
    }
  };
}

/**
 * A text-like setting edited as a draft: checked here first (so the message is in the
 * reviewer's language), then saved; a refused draft stays in the field with its message.
 */
function DraftSetting(
  p: FieldProps & {
    readonly shown: string;
    readonly type: 'number' | 'text';
    readonly range?: WholeRange;
    readonly check: (draft: string) => { ok: true; patch: UserSettings } | { ok: false; message: string };
  },
) {
  const { error, setError, save } = useSave();
  const [draft, setDraft] = useState<string | null>(null);
  const commit = (): void => {
    if (draft === null || draft === p.shown) {
      setDraft(null);
      setError(null);
      return;
    }
    const checked = p.check(draft);
    if (!checked.ok) {
      setError(checked.message);
      return;
    }
    void save(checked.patch).then((saved) => saved && setDraft(null));
  };
  return (
    <Field
      {...p}
      error={error}
      control={(a) => (
        <input
          {...a}
          type={p.type}
          {...(p.range
            ? { min: p.range.min, max: p.range.max, step: 1, inputMode: 'numeric' as const }
            : { spellCheck: false, autoComplete: 'off' })}
          value={draft ?? p.shown}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onBlur={commit}
          onKeyDown={commitKeys(commit)}
        />
      )}
    />
  );
}

/** A whole number within its range. */
export function NumberSetting(
  p: FieldProps & {
    readonly value: number;
    readonly range: WholeRange;
    readonly patch: (value: number) => UserSettings;
  },
) {
  const { t } = useTranslation();
  const check = (draft: string) => {
    const n = Number(draft.trim());
    return draft.trim() !== '' && Number.isInteger(n) && n >= p.range.min && n <= p.range.max
      ? ({ ok: true, patch: p.patch(n) } as const)
      : ({ ok: false, message: t('settings.errors.range', { min: p.range.min, max: p.range.max }) } as const);
  };
  return <DraftSetting {...p} type="number" shown={String(p.value)} check={check} />;
}

/** A list edited as one line: entries separated by spaces or commas. */
export function ListSetting(
  p: FieldProps & {
    readonly items: readonly string[];
    readonly pattern: RegExp;
    readonly max: number;
    readonly patch: (items: readonly string[]) => UserSettings;
  },
) {
  const { t } = useTranslation();
  const check = (draft: string) => {
    const parsed = parseList(draft, p.pattern, p.max);
    if (parsed.ok) {
      return { ok: true, patch: p.patch(parsed.items) } as const;
    }
    const messages = {
      empty: () => t('settings.errors.listEmpty'),
      invalid: () => t('settings.errors.listInvalid', { item: parsed.item ?? '' }),
      duplicate: () => t('settings.errors.listDuplicate', { item: parsed.item ?? '' }),
      tooMany: () => t('settings.errors.listTooMany', { max: p.max }),
    } as const;
    return { ok: false, message: messages[parsed.problem]() } as const;
  };
  return <DraftSetting {...p} type="text" shown={formatList(p.items)} check={check} />;
}
