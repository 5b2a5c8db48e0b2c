import { createCommandRegistry, type CommandRegistry } from './hotkeys/registry';
import { registerReviewCommands } from './review/review-commands';
import type { ReviewFlow } from './review/review-flow';
import type { AppStore } from './store';

/** The commands that still work while the settings screen covers the app. */
const OVER_SETTINGS: ReadonlySet<string> = new Set(['help.toggle', 'settings.open', 'app.back', 'app.lock']);

/** Registers the app's commands: one registry, so the help lists all and conflicts are refused. */
export function createAppCommands(store: AppStore, isMac: boolean, flow: ReviewFlow): CommandRegistry {
  // Locked, no command runs: the lock screen's own form is all there is.
  const registry = createCommandRegistry(isMac, {
    gate: (id) => !store.getState().lock.state?.locked && (!store.getState().ui.settingsOpen || OVER_SETTINGS.has(id)),
  });
  registry.register({
    id: 'help.toggle',
    labelKey: 'commands.help.toggle',
    defaultBinding: { code: 'F1' },
    run: () => store.getState().ui.toggleHelp(),
  });
  // F2 because F1 is the help and neither types a character, so both work while typing.
  // Opening the settings stops the audio: nothing should play unheard behind them.
  registry.register({
    id: 'settings.open',
    labelKey: 'settings.command',
    defaultBinding: { code: 'F2' },
    run: () => {
      const { ui, player } = store.getState();
      if (ui.settingsOpen) {
        ui.closeSettings();
        return;
      }
      if (player.playing) {
        flow.player.togglePlay();
      }
      ui.openSettings();
    },
  });
  // One Escape for "go back one level": the help, else the settings, else the review screen. Two
  // commands cannot share a key (the registry refuses conflicts). While a panel covers the
  // review screen, its dialog handles Escape itself.
  registry.register({
    id: 'app.back',
    labelKey: 'commands.app.back',
    defaultBinding: { code: 'Escape' },
    run: () => {
      const { ui } = store.getState();
      if (ui.helpOpen) {
        ui.closeHelp();
      } else if (ui.settingsOpen) {
        ui.closeSettings();
      } else {
        flow.clips.close();
      }
    },
    enabled: () => {
      const { ui, review } = store.getState();
      return ui.helpOpen || ui.settingsOpen || (review.batchId !== null && review.panel === null);
    },
  });
  // Lock now, from any screen. Ctrl+Shift+L (Cmd+Shift+L): L for lock, as in the OS's own Win+L;
  // Shift keeps it off Ctrl+L (forward 3 s), and no default-menu accelerator uses it.
  registry.register({
    id: 'app.lock',
    labelKey: 'lock.command',
    defaultBinding: { code: 'KeyL', mod: true, shift: true },
    run: () => void store.getState().lock.lockNow('manual'),
  });
  registerReviewCommands(registry, store, flow);
  return registry;
}
