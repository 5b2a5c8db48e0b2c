import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../i18n/error-text';
import {
  bindingProblem,
  compactBinding,
  sameBinding,
  type Binding,
  type HotkeyOverrides,
} from '../../../shared/settings/hotkey-binding';
import { formatBinding } from '../../hotkeys/format';
import type { CommandRegistry, CommandView } from '../../hotkeys/registry';
import { useAppStore } from '../../store/store-context';

type Props = { readonly registry: CommandRegistry; readonly isMac: boolean };

/** What the section last said: news for the live region, or a refusal for the alert. */
type Message = { readonly kind: 'status' | 'error'; readonly text: string } | null;

/**
 * Every command with its keys, a "Change" that captures the next chord (Escape cancels), a
 * per-command reset and a reset for all. A chord another command holds is refused with that
 * command's name, as are modifier keys alone, reserved chords and chords that would fire while
 * typing; main refuses a map with one chord twice as well.
 */
export function HotkeySettings({ registry, isMac }: Props) {
  const { t } = useTranslation();
  const say = useErrorText();
  const commandList = useSyncExternalStore(registry.subscribe, registry.snapshot);
  const locked = useAppStore((s) => s.settings.locked.includes('hotkeys'));
  const update = useAppStore((s) => s.settings.update);
  const [capturing, setCapturing] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const keys = (b: Binding): string => formatBinding(b, isMac);
  const label = (c: CommandView): string => t(c.labelKey);

  const store = async (next: HotkeyOverrides, done: string): Promise<void> => {
    const result = await update({ hotkeys: next });
    setMessage(
      result.ok
        ? { kind: 'status', text: done }
        : { kind: 'error', text: t('settings.errors.notSaved', { message: say(result.error) }) },
    );
  };

  /** The bindings in effect with `command` moved to `binding` (or back to its default). */
  const withBinding = (command: CommandView, binding: Binding): HotkeyOverrides => {
    const { [command.id]: _old, ...others } = registry.overrides();
    return sameBinding(binding, command.defaultBinding) ? others : { ...others, [command.id]: compactBinding(binding) };
  };

  /** Refuses a chord another command holds; stores it otherwise. */
  const assign = (command: CommandView, binding: Binding, done: string): void => {
    const holder = registry.holder(binding);
    if (holder && holder.id !== command.id) {
      setMessage({
        kind: 'error',
        text: t('settings.hotkeys.conflict', { keys: keys(binding), command: label(holder) }),
      });
      return;
    }
    void store(withBinding(command, binding), done);
  };

  const chord = (command: CommandView) => (binding: Binding | null) => {
    setCapturing(null);
    if (binding === null) {
      setMessage({ kind: 'status', text: t('settings.hotkeys.cancelled') });
      return;
    }
    const problem = bindingProblem(binding, isMac);
    if (problem !== null) {
      setMessage({ kind: 'error', text: t(`settings.hotkeys.problem.${problem}`, { keys: keys(binding) }) });
      return;
    }
    assign(command, binding, t('settings.hotkeys.bound', { command: label(command), keys: keys(binding) }));
  };

  const target = commandList.find((c) => c.id === capturing);
  useEffect(() => (target ? registry.capture(chord(target)) : undefined));

  return (
    <section className="settings-hotkeys" aria-labelledby="settings-hotkeys-title">
      <h3 id="settings-hotkeys-title">{t('settings.hotkeys.heading')}</h3>
      <p id="settings-hotkeys-intro" className="setting-hint">
        {t('settings.hotkeys.intro')}
      </p>
      {locked && <p className="setting-locked">{t('settings.locked')}</p>}
      <p className="hotkey-status" role="status" data-testid="hotkey-status">
        {capturing && target
          ? t('settings.hotkeys.capturing', { command: label(target) })
          : message?.kind === 'status'
            ? message.text
            : ''}
      </p>
      <p className="setting-error" role="alert" data-testid="hotkey-error">
        {message?.kind === 'error' ? message.text : ''}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('settings.hotkeys.command')}</th>
            <th scope="col">{t('settings.hotkeys.keys')}</th>
            <th scope="col">{t('settings.hotkeys.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {commandList.map((c) => {
            const changed = !sameBinding(c.binding, c.defaultBinding);
            return (
              <tr key={c.id} data-command={c.id} data-changed={changed}>
                <th scope="row">{label(c)}</th>
                <td>
                  <kbd>{keys(c.binding)}</kbd>
                </td>
                <td className="hotkey-actions">
                  <button
                    type="button"
                    disabled={locked}
                    aria-pressed={capturing === c.id}
                    aria-label={t('settings.hotkeys.changeLabel', { command: label(c) })}
                    aria-describedby="settings-hotkeys-intro"
                    onClick={() => {
                      setMessage(null);
                      setCapturing(capturing === c.id ? null : c.id);
                    }}
                  >
                    {capturing === c.id ? t('settings.hotkeys.pressKeys') : t('settings.hotkeys.change')}
                  </button>
                  <button
                    type="button"
                    disabled={locked || !changed}
                    aria-label={t('settings.hotkeys.resetLabel', { command: label(c), keys: keys(c.defaultBinding) })}
                    onClick={() =>
                      assign(
                        c,
                        c.defaultBinding,
                        t('settings.hotkeys.bound', { command: label(c), keys: keys(c.defaultBinding) }),
                      )
                    }
                  >
                    {t('settings.hotkeys.reset')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" disabled={locked} onClick={() => void store({}, t('settings.hotkeys.allReset'))}>
        {t('settings.hotkeys.resetAll')}
      </button>
    </section>
  );
}
