import { createCommandRegistry, type CommandRegistry } from './hotkeys/registry';
import { registerReviewCommands } from './review/review-commands';
import type { ReviewFlow } from './review/review-flow';
import type { AppStore } from './store';

/** The commands that still work while the settings screen covers the app. */
const OVER_SETTINGS: ReadonlySet<string> = new Set(['help.toggle', 'settings.open', 'app.dismiss', 'app.lock']);

/** The text field whose selection Esc would collapse: the focused one, when it selects something. */
function selectionToCollapse(): HTMLTextAreaElement | HTMLInputElement | null {
  const el = document.activeElement;
  if ((el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) && el.selectionStart !== el.selectionEnd) {
    return el;
  }
  return null;
}

/** Collapses the focused field's selection to its end, where the caret was moving. */
function collapseSelection(): void {
  const el = selectionToCollapse();
  if (el && el.selectionEnd !== null) {
    el.setSelectionRange(el.selectionEnd, el.selectionEnd);
  }
}

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
  // Esc dismisses the topmost transient thing and nothing more: the help, else the settings,
  // else a notice, else a text selection. Leaving a clip or a screen is never on Esc (a reflex
  // for "dismiss this" must not throw the reviewer out of their work). While a dialog covers the
  // review screen, the dialog handles Esc itself, so this command stands aside.
  registry.register({
    id: 'app.dismiss',
    labelKey: 'commands.app.dismiss',
    defaultBinding: { code: 'Escape' },
    run: () => {
      const { ui, review } = store.getState();
      if (ui.helpOpen) {
        ui.closeHelp();
      } else if (ui.deviceKeyOpen) {
        ui.closeDeviceKey();
      } else if (ui.settingsOpen) {
        ui.closeSettings();
      } else if (ui.notice !== null) {
        ui.dismissNotice();
      } else if (review.notice !== null && review.notice !== 'batchDone') {
        review.setNotice(null);
      } else {
        collapseSelection();
      }
    },
    enabled: () => {
      const { ui, review } = store.getState();
      if (ui.helpOpen || ui.settingsOpen || ui.deviceKeyOpen) {
        return true;
      }
      if (review.panel !== null) {
        return false;
      }
      return (
        ui.notice !== null ||
        (review.notice !== null && review.notice !== 'batchDone') ||
        selectionToCollapse() !== null
      );
    },
  });
  // Back one screen: out of the clip or the reports to the batch list. Alt+← is "back" in the
  // browsers of Windows and Linux; on macOS Option+← moves by word in the transcript, so there it
  // is Cmd+Option+←. The same command on every screen, and never under an open overlay.
  registry.register({
    id: 'app.back',
    labelKey: 'commands.app.back',
    defaultBinding: isMac ? { code: 'ArrowLeft', mod: true, alt: true } : { code: 'ArrowLeft', alt: true },
    run: () => {
      const { reports, review, inbox } = store.getState();
      if (review.batchId !== null) {
        flow.clips.close();
      } else if (reports.open) {
        reports.hide();
      } else if (inbox.screen !== null) {
        inbox.hide();
      }
    },
    enabled: () => {
      const { ui, review, reports, inbox } = store.getState();
      if (ui.helpOpen || ui.settingsOpen) {
        return false;
      }
      return (
        (review.batchId !== null && (review.panel === null || review.panel === 'batchDone')) ||
        reports.open ||
        inbox.screen !== null
      );
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
  // The workstation's key, from the batch list: K for key; Shift keeps it off the player's K.
  registry.register({
    id: 'device.key',
    labelKey: 'device.command',
    defaultBinding: { code: 'KeyK', mod: true, shift: true },
    run: () => {
      const { ui } = store.getState();
      if (ui.deviceKeyOpen) {
        ui.closeDeviceKey();
      } else {
        ui.openDeviceKey();
      }
    },
    enabled: () => {
      const { ui, review, reports, inbox } = store.getState();
      return review.batchId === null && !reports.open && inbox.screen === null && !ui.helpOpen && !ui.settingsOpen;
    },
  });
  registerReviewCommands(registry, store, flow);
  return registry;
}
