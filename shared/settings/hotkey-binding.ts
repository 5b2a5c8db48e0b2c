/**
 * Hotkey bindings as data: what a binding is, when two are the same chord, and which chords a
 * reviewer may not take for a command. Shared so main can check a stored binding map with the
 * same rules the settings screen applies while capturing a chord.
 */

/**
 * A key binding, by physical key (`KeyboardEvent.code`) so it means the same key on every
 * keyboard layout. `mod` is Ctrl on Windows/Linux and Cmd on macOS.
 */
export type Binding = {
  readonly code: string;
  readonly mod?: boolean | undefined;
  readonly alt?: boolean | undefined;
  readonly shift?: boolean | undefined;
};

/** A reviewer's own bindings: command id → binding, only for commands moved off their default. */
export type HotkeyOverrides = { readonly [commandId: string]: Binding };

/** Why a chord cannot be given to a command. */
export type BindingProblem = 'modifierOnly' | 'reserved' | 'typing' | 'altGr';

/** Keys that never type a character, so they may act even while a text box has focus. */
const NON_TYPING = /^(F([1-9]|1[0-9]|2[0-4])|Escape|Pause|MediaPlayPause|MediaTrackNext|MediaTrackPrevious)$/;

/** Keys that are only ever part of a chord, never a chord of their own. */
const MODIFIER_CODES: ReadonlySet<string> = new Set([
  'ShiftLeft',
  'ShiftRight',
  'ControlLeft',
  'ControlRight',
  'AltLeft',
  'AltRight',
  'MetaLeft',
  'MetaRight',
  'OSLeft',
  'OSRight',
  'AltGraph',
  'CapsLock',
  'NumLock',
  'ScrollLock',
  'Fn',
  'FnLock',
]);

const arrows = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];

/**
 * Chords that already mean something the reviewer relies on, so a command must not take them:
 * text editing in the transcript box (copy, paste, undo, select all, word-wise moves and
 * deletes), the accelerators and menu mnemonics of Electron's default menu (reload, close, quit,
 * minimise, hide, zoom, DevTools, full screen; Alt+F/E/V/W/H open its menus on Windows and
 * Linux) and window management (Alt+F4, Alt+Space).
 */
const RESERVED: ReadonlySet<string> = new Set([
  ...['KeyA', 'KeyC', 'KeyV', 'KeyX', 'KeyZ', 'KeyY', 'Backspace', 'Delete', 'Home', 'End'].map((c) => `Mod+${c}`),
  ...['KeyZ', 'Home', 'End', 'KeyI', 'KeyR', 'Equal'].map((c) => `Mod+Shift+${c}`),
  ...['KeyR', 'KeyW', 'KeyQ', 'KeyM', 'KeyH', 'Digit0', 'Minus', 'Equal'].map((c) => `Mod+${c}`),
  ...arrows.flatMap((c) => [`Mod+${c}`, `Mod+Shift+${c}`]),
  ...['KeyF', 'KeyE', 'KeyV', 'KeyW', 'KeyH'].map((c) => `Alt+${c}`),
  'Alt+F4',
  'Alt+Space',
  'Alt+Backspace',
  'F11',
]);

/**
 * Option+arrow moves by word in a macOS text box; on Windows and Linux Alt+arrow edits nothing
 * (Alt+← is the browser's back), so there it is free for a command. Reserved when the platform
 * is not known (main checking a stored map), to be safe.
 */
const RESERVED_ON_MAC: ReadonlySet<string> = new Set(arrows.flatMap((c) => [`Alt+${c}`, `Alt+Shift+${c}`]));

/** A stable key for conflict checks: two bindings with the same key are the same chord. */
export function bindingKey(b: Binding): string {
  return [b.mod ? 'Mod' : '', b.alt ? 'Alt' : '', b.shift ? 'Shift' : '', b.code].filter(Boolean).join('+');
}

export function sameBinding(a: Binding, b: Binding): boolean {
  return bindingKey(a) === bindingKey(b);
}

/** The binding with only the modifiers that are on, as it is stored. */
export function compactBinding(b: Binding): Binding {
  return {
    code: b.code,
    ...(b.mod ? { mod: true } : {}),
    ...(b.alt ? { alt: true } : {}),
    ...(b.shift ? { shift: true } : {}),
  };
}

/**
 * Whether a binding can fire while the reviewer is typing: chords with Mod or Alt, and keys
 * that type nothing. A plain letter never does, so typing can never trigger a command.
 */
export function firesWhileTyping(b: Binding): boolean {
  return Boolean(b.mod) || Boolean(b.alt) || NON_TYPING.test(b.code);
}

/**
 * Why `b` cannot be a command's binding, or null when it can. Tab is always reserved (it moves
 * the focus). A chord that would fire on a typed character is refused, since the transcript box
 * has the focus nearly all the time. With `isMac === false`, Ctrl+Alt on a typing key is
 * refused too: Windows reports AltGr as Ctrl+Alt, so such a chord would fire while someone types
 * "@" or "€" on many layouts. Main, which cannot know the reviewer's keyboard, leaves it out.
 */
export function bindingProblem(b: Binding, isMac?: boolean): BindingProblem | null {
  if (MODIFIER_CODES.has(b.code)) {
    return 'modifierOnly';
  }
  if (b.code === 'Tab' || RESERVED.has(bindingKey(b)) || (isMac !== false && RESERVED_ON_MAC.has(bindingKey(b)))) {
    return 'reserved';
  }
  if (!firesWhileTyping(b)) {
    return 'typing';
  }
  if (isMac === false && b.mod && b.alt && !NON_TYPING.test(b.code)) {
    return 'altGr';
  }
  return null;
}

/** Two or more commands of `overrides` on one chord, as [chord, command ids]; none when the map is clean. */
export function duplicateChords(overrides: HotkeyOverrides): [chord: string, commandIds: string[]][] {
  const holders = new Map<string, string[]>();
  for (const [id, binding] of Object.entries(overrides)) {
    const key = bindingKey(binding);
    holders.set(key, [...(holders.get(key) ?? []), id]);
  }
  return [...holders].filter(([, ids]) => ids.length > 1);
}
