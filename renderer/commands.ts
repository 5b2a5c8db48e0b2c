import { createCommandRegistry, type CommandRegistry } from './hotkeys/registry';
import { registerReviewCommands } from './review/review-commands';
import type { ReviewFlow } from './review/review-flow';
import type { AppStore } from './store';

/** Registers the app's commands: one registry, so the help lists all and conflicts are refused. */
export function createAppCommands(store: AppStore, isMac: boolean, flow: ReviewFlow): CommandRegistry {
  const registry = createCommandRegistry(isMac);
  registry.register({
    id: 'help.toggle',
    labelKey: 'commands.help.toggle',
    defaultBinding: { code: 'F1' },
    run: () => store.getState().ui.toggleHelp(),
  });
  // One Escape for "go back one level": the help if open, else the review screen. Two
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
      } else {
        flow.close();
      }
    },
    enabled: () => store.getState().ui.helpOpen || (store.getState().review.batchId !== null && store.getState().review.panel === null),
  });
  registerReviewCommands(registry, store, flow);
  return registry;
}
