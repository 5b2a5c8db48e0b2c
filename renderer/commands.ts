import { createCommandRegistry, type CommandRegistry } from './hotkeys/registry';
import type { AppStore } from './store';

/** Registers the app's commands. Later screens add theirs to the same registry. */
export function createAppCommands(store: AppStore, isMac: boolean): CommandRegistry {
  const registry = createCommandRegistry(isMac);
  registry.register({
    id: 'help.toggle',
    labelKey: 'commands.help.toggle',
    defaultBinding: { code: 'F1' },
    run: () => store.getState().ui.toggleHelp(),
  });
  registry.register({
    id: 'help.close',
    labelKey: 'commands.help.close',
    defaultBinding: { code: 'Escape' },
    run: () => store.getState().ui.closeHelp(),
    enabled: () => store.getState().ui.helpOpen,
  });
  return registry;
}
