import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../i18n/error-text';
import type { CommandRegistry } from '../../hotkeys/registry';
import { useAppStore } from '../../store/store-context';
import { ModalDialog } from '../review/modal-dialog';
import { LanguageSettings, PlaybackSettings, ReviewingSettings, TimeSettings } from './general-settings';
import { HotkeySettings } from './hotkey-settings';
import { PinSettings } from './pin-settings';

type Props = {
  readonly registry: CommandRegistry;
  readonly isMac: boolean;
  readonly keys: (commandId: string) => string;
};

/**
 * Every setting, on the keyboard: Tab moves between controls, each change is saved at once (a
 * number or a list when Enter is pressed or the field is left), and what the policy decides is
 * shown disabled with a note. It covers the screen under it, whose hotkeys are off meanwhile;
 * Esc or the settings key closes it and the focus goes back where it was.
 */
export function SettingsScreen({ registry, isMac, keys }: Props) {
  const { t } = useTranslation();
  const say = useErrorText();
  const open = useAppStore((s) => s.ui.settingsOpen);
  const close = useAppStore((s) => s.ui.closeSettings);
  const error = useAppStore((s) => s.settings.error);
  if (!open) {
    return null;
  }
  return (
    <ModalDialog labelledBy="settings-title" className="settings" onCancel={close}>
      <div className="settings-head">
        <h2 id="settings-title">{t('settings.title')}</h2>
        <p className="setting-hint">{t('settings.intro', { keys: keys('settings.open') })}</p>
      </div>
      {error && <p role="alert">{t('errors.loadFailed', { message: say(error) })}</p>}
      <div className="settings-body">
        <div className="settings-columns">
          <PlaybackSettings />
          <ReviewingSettings />
          <TimeSettings />
          <LanguageSettings />
          <PinSettings />
        </div>
        <HotkeySettings registry={registry} isMac={isMac} />
      </div>
      <div className="dialog-actions">
        <button type="button" onClick={close}>
          {t('settings.close')}
        </button>
      </div>
    </ModalDialog>
  );
}
