import { describe, expect, it } from 'vitest';
import { formatBinding } from '../../../renderer/hotkeys/format';

describe('formatBinding', () => {
  it('names modifiers the Windows and Linux way off macOS', () => {
    expect(formatBinding({ code: 'KeyS', mod: true }, false)).toBe('Ctrl+S');
    expect(formatBinding({ code: 'KeyS', mod: true, alt: true, shift: true }, false)).toBe('Ctrl+Alt+Shift+S');
  });

  it('uses the macOS symbols on macOS', () => {
    expect(formatBinding({ code: 'KeyS', mod: true }, true)).toBe('⌘+S');
    expect(formatBinding({ code: 'KeyS', mod: true, alt: true, shift: true }, true)).toBe('⌘+⌥+Shift+S');
  });

  it('shows keys by what is printed on them', () => {
    expect(formatBinding({ code: 'F1' }, false)).toBe('F1');
    expect(formatBinding({ code: 'Escape' }, false)).toBe('Esc');
    expect(formatBinding({ code: 'Digit7' }, false)).toBe('7');
    expect(formatBinding({ code: 'Slash', shift: true }, false)).toBe('Shift+/');
    expect(formatBinding({ code: 'ArrowLeft', alt: true }, false)).toBe('Alt+←');
    expect(formatBinding({ code: 'Space' }, true)).toBe('Space');
  });

  it('names the bracket and punctuation keys as a US keyboard prints them when the layout is unknown', () => {
    expect(formatBinding({ code: 'BracketLeft', mod: true }, false)).toBe('Ctrl+[');
    expect(formatBinding({ code: 'BracketRight', mod: true }, false)).toBe('Ctrl+]');
    expect(formatBinding({ code: 'Semicolon' }, false)).toBe(';');
  });

  it('shows what the reviewer’s own layout prints on the key, from the layout map', () => {
    // A German keyboard: Z and Y swapped, Ü where the US has [.
    const german = new Map([
      ['KeyZ', 'y'],
      ['BracketLeft', 'ü'],
      ['Period', '.'],
    ]);
    expect(formatBinding({ code: 'KeyZ', mod: true }, false, german)).toBe('Ctrl+Y');
    expect(formatBinding({ code: 'BracketLeft', mod: true }, false, german)).toBe('Ctrl+Ü');
    // Keys the map does not print keep their names.
    expect(formatBinding({ code: 'F1' }, false, german)).toBe('F1');
    expect(formatBinding({ code: 'ArrowLeft', alt: true }, false, german)).toBe('Alt+←');
  });
});
