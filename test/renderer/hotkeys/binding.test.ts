import { describe, expect, it } from 'vitest';
import { bindingKey, bindingOf, firesWhileTyping, sameBinding } from '../../../renderer/hotkeys/binding';

const key = (init: KeyboardEventInit): KeyboardEvent => new KeyboardEvent('keydown', init);

describe('bindingOf', () => {
  it('reads the physical key code, not the character the layout produces', () => {
    // On a German (QWERTZ) layout the key labelled Y sits where US keyboards have Z.
    expect(bindingOf(key({ code: 'KeyZ', key: 'y', ctrlKey: true }), false)).toEqual({
      code: 'KeyZ',
      mod: true,
      alt: false,
      shift: false,
    });
  });

  it('treats Cmd as Mod on macOS and Ctrl as Mod elsewhere', () => {
    expect(bindingOf(key({ code: 'KeyS', metaKey: true }), true).mod).toBe(true);
    expect(bindingOf(key({ code: 'KeyS', ctrlKey: true }), true).mod).toBe(false);
    expect(bindingOf(key({ code: 'KeyS', ctrlKey: true }), false).mod).toBe(true);
    expect(bindingOf(key({ code: 'KeyS', metaKey: true }), false).mod).toBe(false);
  });
});

describe('bindingKey', () => {
  it('names a chord the same way however its modifiers are written', () => {
    expect(bindingKey({ code: 'KeyS', shift: true, mod: true })).toBe('Mod+Shift+KeyS');
    expect(bindingKey({ code: 'KeyS', mod: false, alt: false })).toBe('KeyS');
    expect(sameBinding({ code: 'F1' }, { code: 'F1', mod: false, alt: false, shift: false })).toBe(true);
    expect(sameBinding({ code: 'KeyS', mod: true }, { code: 'KeyS', alt: true })).toBe(false);
  });
});

describe('firesWhileTyping', () => {
  it('never lets a plain or shifted character key act while typing', () => {
    expect(firesWhileTyping({ code: 'KeyJ' })).toBe(false);
    expect(firesWhileTyping({ code: 'Space' })).toBe(false);
    expect(firesWhileTyping({ code: 'KeyJ', shift: true })).toBe(false);
    expect(firesWhileTyping({ code: 'Digit1' })).toBe(false);
  });

  it('lets Mod and Alt chords, F-keys and Escape act while typing', () => {
    expect(firesWhileTyping({ code: 'KeyJ', mod: true })).toBe(true);
    expect(firesWhileTyping({ code: 'KeyJ', alt: true })).toBe(true);
    expect(firesWhileTyping({ code: 'F1' })).toBe(true);
    expect(firesWhileTyping({ code: 'F12' })).toBe(true);
    expect(firesWhileTyping({ code: 'F24' })).toBe(true);
    expect(firesWhileTyping({ code: 'Escape' })).toBe(true);
    expect(firesWhileTyping({ code: 'MediaPlayPause' })).toBe(true);
  });

  it('does not mistake codes that merely start like an F-key for one', () => {
    expect(firesWhileTyping({ code: 'F25' })).toBe(false);
    expect(firesWhileTyping({ code: 'F0' })).toBe(false);
    expect(firesWhileTyping({ code: 'KeyF' })).toBe(false);
  });
});
