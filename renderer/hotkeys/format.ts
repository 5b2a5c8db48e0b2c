import { useEffect, useState } from 'react';
import type { Binding } from './binding';

/** What a key prints on this keyboard, by physical code (`navigator.keyboard.getLayoutMap()`). */
export type KeyboardLayout = ReadonlyMap<string, string>;

/** US names for the keys whose code is not its label. */
const US_NAMES: Readonly<Record<string, string>> = {
  Slash: '/',
  Backslash: '\\',
  BracketLeft: '[',
  BracketRight: ']',
  Semicolon: ';',
  Quote: "'",
  Backquote: '`',
  Enter: 'Enter',
  Space: 'Space',
  Escape: 'Esc',
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  Comma: ',',
  Period: '.',
  Minus: '-',
  Equal: '=',
};

/** Human label for a physical key code: what the layout prints on it, else its US name (`KeyA` → `A`). */
function keyLabel(code: string, layout?: KeyboardLayout): string {
  const printed = layout?.get(code);
  if (printed && printed.trim() !== '') {
    return printed.toUpperCase();
  }
  return US_NAMES[code] ?? code.replace(/^Key/, '').replace(/^Digit/, '');
}

/** The binding as the help shows it: the platform's modifier names and the key as the keyboard prints it. */
export function formatBinding(b: Binding, isMac: boolean, layout?: KeyboardLayout): string {
  const parts = [b.mod ? (isMac ? '⌘' : 'Ctrl') : '', b.alt ? (isMac ? '⌥' : 'Alt') : '', b.shift ? 'Shift' : ''];
  return [...parts.filter(Boolean), keyLabel(b.code, layout)].join('+');
}

type KeyboardApi = { readonly getLayoutMap?: () => Promise<KeyboardLayout> };

/**
 * The keyboard's layout where the browser tells it (Chromium's Keyboard Map API); undefined
 * until then, or for good where it does not, and labels fall back to US names.
 */
export function useKeyboardLayout(keyboard?: KeyboardApi): KeyboardLayout | undefined {
  const [layout, setLayout] = useState<KeyboardLayout>();
  useEffect(() => {
    const api = keyboard ?? (navigator as Navigator & { keyboard?: KeyboardApi }).keyboard;
    let live = true;
    api
      ?.getLayoutMap?.()
      .then((map) => {
        if (live) {
          setLayout(map);
        }
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [keyboard]);
  return layout;
}
