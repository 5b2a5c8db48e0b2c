import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBinding, type KeyboardLayout } from '../hotkeys/format';
import type { CommandView } from '../hotkeys/registry';
import { useAppStore } from '../store/store-context';

type Props = {
  readonly commands: readonly CommandView[];
  readonly isMac: boolean;
  readonly layout?: KeyboardLayout | undefined;
};

/** Lists every command and its keys; opened with F1, closed with F1 or Esc. */
export function HelpOverlay({ commands, isMac, layout }: Props) {
  const { t } = useTranslation();
  const open = useAppStore((s) => s.ui.helpOpen);
  const close = useAppStore((s) => s.ui.closeHelp);
  const dialog = useRef<HTMLDivElement>(null);

  // Focus moves into the dialog and, when it closes, back where it was (the transcript box),
  // so a keyboard-only reviewer can keep typing.
  useEffect(() => {
    if (!open) {
      return undefined;
    }
    const previous = document.activeElement;
    dialog.current?.focus();
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected) {
        previous.focus();
      }
    };
  }, [open]);

  if (!open) {
    return null;
  }
  return (
    <div className="overlay">
      <div
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        tabIndex={-1}
        className="dialog help"
      >
        <h2 id="help-title">{t('help.title')}</h2>
        {/* Only the list scrolls, with a shadow at whichever edge has more; title and Close stay. */}
        <div className="help-list" role="region" aria-labelledby="help-title" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('help.command')}</th>
                <th scope="col">{t('help.keys')}</th>
              </tr>
            </thead>
            <tbody>
              {commands.map((c) => (
                <tr key={c.id} data-command={c.id}>
                  <td>{t(c.labelKey)}</td>
                  <td>
                    <kbd>{formatBinding(c.binding, isMac, layout)}</kbd>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <button type="button" onClick={close}>
          {t('help.close')}
        </button>
      </div>
    </div>
  );
}
