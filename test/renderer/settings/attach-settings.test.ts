import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { UserSettings } from '../../../shared/settings/settings';
import { createCommandRegistry, type CommandRegistry } from '../../../renderer/hotkeys/registry';
import { attachSettings } from '../../../renderer/settings/attach-settings';
import { createAppStore, type AppStore } from '../../../renderer/store';
import { createInProcessApi, type InProcessApi } from '../../support/in-process-api';
import { untilState } from '../../support/render';

describe('settings kept in step', () => {
  let main: InProcessApi;
  let store: AppStore;
  let registry: CommandRegistry;
  let writes: UserSettings[];
  let detach: (() => void) | undefined;

  /** The real API, recording every settings:update. */
  const recording = (api: ReviewerApi): ReviewerApi => ({
    ...api,
    settings: { ...api.settings, update: (patch) => (writes.push(patch), api.settings.update(patch)) },
  });
  const attach = async (): Promise<void> => {
    detach = attachSettings({ api: main.api, store, registry, rateDelayMs: 30 });
    await untilState(store, (s) => s.settings.loaded);
  };
  /** Resolves at main's next settings:changed. */
  const nextChange = (): Promise<void> =>
    new Promise((resolve) => {
      const stop = main.services.events.subscribe((event) => {
        if (event === 'settings:changed') {
          stop();
          resolve();
        }
      });
    });

  beforeEach(() => {
    main = createInProcessApi();
    writes = [];
    store = createAppStore(recording(main.api));
    registry = createCommandRegistry(false);
    registry.register({
      id: 'player.toggle',
      labelKey: 'commands.player.toggle',
      defaultBinding: { code: 'KeyK', mod: true },
      run: () => undefined,
    });
  });

  afterEach(() => {
    detach?.();
    main.cleanup();
  });

  it('moves a saved Esc binding for back to the new default, saves that and says so', async () => {
    main.services.settings.update({
      hotkeys: { 'app.back': { code: 'Escape' }, 'player.toggle': { code: 'KeyP', mod: true } },
    });

    await attach();
    await untilState(store, (s) => s.settings.values.hotkeys['app.back'] === undefined);

    expect(store.getState().ui.notice).toBe('backKeyMoved');
    expect(main.services.settings.get().values.hotkeys).toEqual({ 'player.toggle': { code: 'KeyP', mod: true } });
    expect(registry.holder({ code: 'KeyP', mod: true })?.id).toBe('player.toggle');
  });

  it('starts the player at the saved speed, so the speed survives a restart', async () => {
    main.services.settings.update({ playbackRate: 1.4 });

    await attach();

    expect(store.getState().player.rate).toBe(1.4);
  });

  it('saves a run of speed changes once, after they stop', async () => {
    await attach();
    const saved = nextChange();

    store.getState().player.stepRate(1);
    store.getState().player.stepRate(1);
    store.getState().player.stepRate(1);
    await saved;

    expect(writes).toEqual([{ playbackRate: 1.3 }]);
    expect(main.services.settings.get().values.playbackRate).toBe(1.3);
  });

  it('saves a speed still waiting when it is detached', async () => {
    await attach();
    store.getState().player.stepRate(-1);
    const saved = nextChange();

    detach?.();
    detach = undefined;
    await saved;

    expect(main.services.settings.get().values.playbackRate).toBe(0.9);
  });

  it('takes what main pushes: the speed and the bindings', async () => {
    await attach();

    main.services.settings.update({ playbackRate: 0.7, hotkeys: { 'player.toggle': { code: 'F4' } } });

    expect(store.getState().settings.values.playbackRate).toBe(0.7);
    expect(store.getState().player.rate).toBe(0.7);
    expect(registry.list()[0]?.binding).toEqual({ code: 'F4' });
    expect(writes).toEqual([]);
  });

  it('stops listening once detached', async () => {
    await attach();
    detach?.();
    detach = undefined;

    main.services.settings.update({ autoplay: false });

    expect(store.getState().settings.values.autoplay).toBe(true);
  });
});
