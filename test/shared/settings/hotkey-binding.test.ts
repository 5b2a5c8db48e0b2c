import { describe, expect, it } from 'vitest';
import {
  bindingKey,
  bindingProblem,
  compactBinding,
  duplicateChords,
  firesWhileTyping,
  type Binding,
} from '../../../shared/settings/hotkey-binding';

describe('binding keys', () => {
  it('are the same for the same chord however its flags are spelled', () => {
    expect(bindingKey({ code: 'KeyK', mod: true, alt: false })).toBe(bindingKey({ code: 'KeyK', mod: true }));
    expect(bindingKey({ code: 'KeyK', mod: true, shift: true })).toBe('Mod+Shift+KeyK');
  });

  it('are stored without the modifiers that are off', () => {
    expect(compactBinding({ code: 'F2', mod: false, alt: false, shift: false })).toEqual({ code: 'F2' });
    expect(compactBinding({ code: 'KeyE', mod: true, alt: false, shift: true })).toEqual({
      code: 'KeyE',
      mod: true,
      shift: true,
    });
  });
});

describe('chords a command may not take', () => {
  it.each<[Binding, string]>([
    [{ code: 'ShiftLeft', shift: true }, 'modifierOnly'],
    [{ code: 'ControlRight', mod: true }, 'modifierOnly'],
    [{ code: 'CapsLock' }, 'modifierOnly'],
    [{ code: 'Tab' }, 'reserved'],
    [{ code: 'Tab', shift: true }, 'reserved'],
    [{ code: 'KeyC', mod: true }, 'reserved'],
    [{ code: 'KeyZ', mod: true, shift: true }, 'reserved'],
    [{ code: 'KeyR', mod: true }, 'reserved'],
    [{ code: 'ArrowLeft', mod: true }, 'reserved'],
    [{ code: 'F4', alt: true }, 'reserved'],
    [{ code: 'KeyF', alt: true }, 'reserved'],
    [{ code: 'KeyK' }, 'typing'],
    [{ code: 'Slash', shift: true }, 'typing'],
    [{ code: 'Space' }, 'typing'],
  ])('refuses %j as %s', (binding, problem) => {
    expect(bindingProblem(binding)).toBe(problem);
  });

  it.each<Binding>([
    { code: 'KeyK', mod: true },
    { code: 'Digit1', alt: true },
    { code: 'F2' },
    { code: 'KeyE', mod: true, shift: true },
    { code: 'Escape' },
  ])('accepts %j', (binding) => {
    expect(bindingProblem(binding)).toBeNull();
    expect(firesWhileTyping(binding)).toBe(true);
  });

  it('refuses Ctrl+Alt on a typing key off macOS, where it is AltGr, but not on macOS or for a function key', () => {
    const chord: Binding = { code: 'KeyQ', mod: true, alt: true };
    expect(bindingProblem(chord, false)).toBe('altGr');
    expect(bindingProblem(chord, true)).toBeNull();
    expect(bindingProblem(chord)).toBeNull();
    expect(bindingProblem({ code: 'F5', mod: true, alt: true }, false)).toBeNull();
  });
});

describe('duplicate chords', () => {
  it('names every command on a chord held twice', () => {
    expect(
      duplicateChords({
        'player.toggle': { code: 'F4' },
        'review.next': { code: 'F4', mod: false },
        'review.previous': { code: 'F5' },
      }),
    ).toEqual([['F4', ['player.toggle', 'review.next']]]);
  });

  it('finds none in a clean map', () => {
    expect(duplicateChords({ a: { code: 'F4' }, b: { code: 'F4', mod: true } })).toEqual([]);
  });
});
