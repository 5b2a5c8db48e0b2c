import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCommands } from '../../renderer/commands';
import type { CommandRegistry } from '../../renderer/hotkeys/registry';
import { createAppStore, type AppStore } from '../../renderer/store';
import { createInProcessApi, type InProcessApi } from '../support/in-process-api';

const key = (code: string): KeyboardEvent => new KeyboardEvent('keydown', { code });
const idle = { typing: false } as const;

describe('app commands', () => {
  let main: InProcessApi;
  let store: AppStore;
  let registry: CommandRegistry;

  beforeEach(() => {
    main = createInProcessApi();
    store = createAppStore(main.api);
    registry = createAppCommands(store, false);
  });

  afterEach(() => {
    main.cleanup();
  });

  it('lists the help commands with labels from the i18n resources', () => {
    expect(registry.list()).toEqual([
      { id: 'help.toggle', labelKey: 'commands.help.toggle', binding: { code: 'F1' } },
      { id: 'help.close', labelKey: 'commands.help.close', binding: { code: 'Escape' } },
    ]);
  });

  it('toggles the help with F1, even while typing', () => {
    expect(registry.handle(key('F1'), { typing: true })).toBe(true);
    expect(store.getState().ui.helpOpen).toBe(true);

    expect(registry.handle(key('F1'), idle)).toBe(true);
    expect(store.getState().ui.helpOpen).toBe(false);
  });

  it('claims Escape only while the help is open', () => {
    expect(registry.handle(key('Escape'), idle)).toBe(false);

    store.getState().ui.toggleHelp();

    expect(registry.handle(key('Escape'), idle)).toBe(true);
    expect(store.getState().ui.helpOpen).toBe(false);
  });
});
