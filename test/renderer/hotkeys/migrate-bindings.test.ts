import { describe, expect, it } from 'vitest';
import { migrateBindings } from '../../../renderer/hotkeys/migrate-bindings';

describe('migrateBindings', () => {
  it('drops a binding that put back on a plain Esc, keeping the others', () => {
    const saved = { 'app.back': { code: 'Escape' }, 'player.toggle': { code: 'KeyP', mod: true } };
    expect(migrateBindings(saved)).toEqual({
      hotkeys: { 'player.toggle': { code: 'KeyP', mod: true } },
      backMoved: true,
    });
  });

  it('leaves every other map as it is, the same object', () => {
    const chorded = { 'app.back': { code: 'Escape', shift: true } };
    expect(migrateBindings(chorded).hotkeys).toBe(chorded);
    expect(migrateBindings(chorded).backMoved).toBe(false);
    const elsewhere = { 'app.back': { code: 'Backspace', alt: true } };
    expect(migrateBindings(elsewhere)).toEqual({ hotkeys: elsewhere, backMoved: false });
    expect(migrateBindings({}).backMoved).toBe(false);
  });
});
