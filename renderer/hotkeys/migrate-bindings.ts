/**
 * Bindings saved under an earlier meaning of a key. "Back" used to be Esc; Esc now only dismisses
 * (a reflex for "close this" must never leave the clip), so a saved or pinned binding that put
 * back on a plain Esc is dropped and back returns to its default.
 */
import type { HotkeyOverrides } from '../../shared/settings/hotkey-binding';

const BACK = 'app.back';

export type MigratedBindings = {
  readonly hotkeys: HotkeyOverrides;
  /** True when a binding was dropped: the reviewer is told where the command went. */
  readonly backMoved: boolean;
};

/** The overrides without a plain-Esc binding for back. The same object when nothing changes. */
export function migrateBindings(hotkeys: HotkeyOverrides): MigratedBindings {
  const back = hotkeys[BACK];
  if (!back || back.code !== 'Escape' || back.mod || back.alt || back.shift) {
    return { hotkeys, backMoved: false };
  }
  const { [BACK]: _dropped, ...rest } = hotkeys;
  return { hotkeys: rest, backMoved: true };
}
