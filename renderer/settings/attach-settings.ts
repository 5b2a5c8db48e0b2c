/**
 * Keeps the renderer in step with main's settings: loads them, takes every `settings:changed`,
 * applies the reviewer's bindings to the command registry (migrating those of an older meaning) and the saved speed to the player,
 * and saves the speed back when the reviewer changes it by hotkey (debounced, since a run of
 * "faster" presses should cost one write, not ten).
 */
import type { ReviewerApi } from '../../shared/ipc/contract';
import { migrateBindings } from '../hotkeys/migrate-bindings';
import type { CommandRegistry } from '../hotkeys/registry';
import type { AppStore } from '../store';

/** How long the speed must rest before it is saved. */
export const RATE_SAVE_DELAY_MS = 400;

export type AttachSettingsOptions = {
  readonly api: ReviewerApi;
  readonly store: AppStore;
  readonly registry: CommandRegistry;
  readonly rateDelayMs?: number;
};

/** Starts keeping settings in step; returns the undo, which saves a speed still waiting. */
export function attachSettings({
  api,
  store,
  registry,
  rateDelayMs = RATE_SAVE_DELAY_MS,
}: AttachSettingsOptions): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;

  const saveRate = (): void => {
    timer = null;
    const { player, settings } = store.getState();
    if (settings.loaded && player.rate !== settings.values.playbackRate) {
      void settings.update({ playbackRate: player.rate });
    }
  };

  const stopStore = store.subscribe((s, prev) => {
    const values = s.settings.values;
    // Every push brings a new map; only a changed one re-applies (and re-renders every key hint).
    if (
      values.hotkeys !== prev.settings.values.hotkeys &&
      JSON.stringify(values.hotkeys) !== JSON.stringify(prev.settings.values.hotkeys)
    ) {
      const { hotkeys, backMoved } = migrateBindings(values.hotkeys);
      registry.applyOverrides(hotkeys);
      if (backMoved) {
        s.ui.showNotice('backKeyMoved');
        // Saved for good unless the policy forbids rebinding (then it is dropped at every start).
        if (values.hotkeysCustomisable) {
          void s.settings.update({ hotkeys });
        }
      }
    }
    if (values.playbackRate !== prev.settings.values.playbackRate) {
      s.player.setRate(values.playbackRate);
    }
    if (s.player.rate !== prev.player.rate && s.player.rate !== values.playbackRate) {
      if (timer !== null) {
        clearTimeout(timer);
      }
      timer = setTimeout(saveRate, rateDelayMs);
    }
  });
  const stopPush = api.settings.onChanged((snapshot) => store.getState().settings.received(snapshot));
  void store.getState().settings.load();

  return () => {
    stopStore();
    stopPush();
    if (timer !== null) {
      clearTimeout(timer);
      saveRate();
    }
  };
}
