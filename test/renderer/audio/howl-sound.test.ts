import type { Howl } from 'howler';
import { describe, expect, it } from 'vitest';
import { keepPitch } from '../../../renderer/audio/howl-sound';

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
