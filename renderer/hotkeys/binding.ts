/**
 * Key bindings in the renderer: the shared binding rules (shared/settings/hotkey-binding.ts) and
 * reading the chord a keyboard event represents.
 */
import type { Binding } from '../../shared/settings/hotkey-binding';

export { bindingKey, firesWhileTyping, sameBinding, type Binding } from '../../shared/settings/hotkey-binding';

export type KeyLike = Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** Reads the binding an event represents on this platform. */
export function bindingOf(e: KeyLike, isMac: boolean): Binding {
  return {
    code: e.code,
    mod: isMac ? e.metaKey : e.ctrlKey,
    alt: e.altKey,
    shift: e.shiftKey,
  };
}
