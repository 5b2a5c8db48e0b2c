/**
 * A key binding, by physical key (`KeyboardEvent.code`) so it means the same key on every
 * keyboard layout. `mod` is Ctrl on Windows/Linux and Cmd on macOS.
 */
export type Binding = {
  readonly code: string;
  readonly mod?: boolean;
  readonly alt?: boolean;
  readonly shift?: boolean;
};

export type KeyLike = Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** Keys that never type a character, so they may act even while a text box has focus. */
const NON_TYPING = /^(F([1-9]|1[0-9]|2[0-4])|Escape|Pause|MediaPlayPause|MediaTrackNext|MediaTrackPrevious)$/;

/** A stable key for conflict checks: two bindings with the same key are the same chord. */
export function bindingKey(b: Binding): string {
  return [b.mod ? 'Mod' : '', b.alt ? 'Alt' : '', b.shift ? 'Shift' : '', b.code].filter(Boolean).join('+');
}

/** Reads the binding an event represents on this platform. */
export function bindingOf(e: KeyLike, isMac: boolean): Binding {
  return {
    code: e.code,
    mod: isMac ? e.metaKey : e.ctrlKey,
    alt: e.altKey,
    shift: e.shiftKey,
  };
}

export function sameBinding(a: Binding, b: Binding): boolean {
  return bindingKey(a) === bindingKey(b);
}

/**
 * Whether a binding can fire while the reviewer is typing: chords with Mod or Alt, and keys
 * that type nothing. A plain letter never does, so typing can never trigger a command.
 */
export function firesWhileTyping(b: Binding): boolean {
  return Boolean(b.mod) || Boolean(b.alt) || NON_TYPING.test(b.code);
}
