import type { Binding } from './binding';

/** Human label for a physical key code: `KeyA` → `A`, `Digit1` → `1`, `Slash` → `/`. */
function keyLabel(code: string): string {
  const named: Readonly<Record<string, string>> = {
    Slash: '/',
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
  return named[code] ?? code.replace(/^Key/, '').replace(/^Digit/, '');
}

/** The binding as shown in the help overlay, with the platform's modifier names. */
export function formatBinding(b: Binding, isMac: boolean): string {
  const parts = [b.mod ? (isMac ? '⌘' : 'Ctrl') : '', b.alt ? (isMac ? '⌥' : 'Alt') : '', b.shift ? 'Shift' : ''];
  return [...parts.filter(Boolean), keyLabel(b.code)].join('+');
}
