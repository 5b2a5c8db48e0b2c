import type { Howl } from 'howler';
import { describe, expect, it } from 'vitest';
import { elideNoOpSeeks, keepPitch } from '../../../renderer/audio/howl-sound';

describe('keepPitch', () => {
  it('sets preservesPitch on every media element of a Howl and reports that all keep pitch', () => {
    const a = document.createElement('audio');
    const b = document.createElement('audio');
    a.preservesPitch = false;
    const howl = { _sounds: [{ _node: a }, { _node: b }] } as unknown as Howl;

    expect(keepPitch(howl)).toBe(true);
    expect(a.preservesPitch).toBe(true);
    expect(b.preservesPitch).toBe(true);
  });

  it('reports false when a sound has no media element (Web Audio would change pitch)', () => {
    const howl = { _sounds: [{ _node: {} }] } as unknown as Howl;

    expect(keepPitch(howl)).toBe(false);
  });
});

describe('elideNoOpSeeks', () => {
  it('skips setting currentTime to the position the element is already at, and seeks otherwise', () => {
    const node = document.createElement('audio');
    const native = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'currentTime');
    const seeks: number[] = [];
    let at = 0;
    Object.defineProperty(HTMLMediaElement.prototype, 'currentTime', {
      configurable: true,
      get: () => at,
      set: (s: number) => {
        seeks.push(s);
        at = s;
      },
    });
    try {
      elideNoOpSeeks(node);
      node.currentTime = 0;
      node.currentTime = 1.5;
      node.currentTime = 1.5;
      node.currentTime = 0;

      expect(seeks).toEqual([1.5, 0]);
      expect(node.currentTime).toBe(0);
    } finally {
      if (native) {
        Object.defineProperty(HTMLMediaElement.prototype, 'currentTime', native);
      }
    }
  });
});
