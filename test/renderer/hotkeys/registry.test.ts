import { beforeEach, describe, expect, it } from 'vitest';
import type { Binding } from '../../../renderer/hotkeys/binding';
import { createCommandRegistry, type CommandRegistry } from '../../../renderer/hotkeys/registry';

const key = (init: KeyboardEventInit): KeyboardEvent => new KeyboardEvent('keydown', init);
const idle = { typing: false } as const;
const typing = { typing: true } as const;

type Counting = {
  readonly runs: Record<string, number>;
  add(id: string, binding: Binding, enabled?: () => boolean): void;
};

function counting(registry: CommandRegistry): Counting {
  const runs: Record<string, number> = {};
  return {
    runs,
    add(id, binding, enabled) {
      runs[id] = 0;
      registry.register({
        id,
        labelKey: 'commands.player.toggle',
        defaultBinding: binding,
        run: () => {
          runs[id] = (runs[id] ?? 0) + 1;
        },
        ...(enabled ? { enabled } : {}),
      });
    },
  };
}

describe('command registry', () => {
  let registry: CommandRegistry;
  let commands: Counting;

  beforeEach(() => {
    registry = createCommandRegistry(false);
    commands = counting(registry);
  });

  it('matches a binding by physical key whatever character the layout types', () => {
    commands.add('undo', { code: 'KeyZ', mod: true });

    expect(registry.handle(key({ code: 'KeyZ', key: 'y', ctrlKey: true }), idle)).toBe(true);
    // The key that types "z" on that layout is KeyY: it is not the bound key.
    expect(registry.handle(key({ code: 'KeyY', key: 'z', ctrlKey: true }), idle)).toBe(false);
    expect(commands.runs['undo']).toBe(1);
  });

  it('ignores a key with no command and a chord with extra modifiers', () => {
    commands.add('undo', { code: 'KeyZ', mod: true });

    expect(registry.handle(key({ code: 'KeyQ', ctrlKey: true }), idle)).toBe(false);
    expect(registry.handle(key({ code: 'KeyZ', ctrlKey: true, shiftKey: true }), idle)).toBe(false);
    expect(commands.runs['undo']).toBe(0);
  });

  it('does not fire plain keys while typing but does fire Mod and Alt chords, F-keys and Escape', () => {
    commands.add('play', { code: 'KeyK' });
    commands.add('save', { code: 'KeyS', mod: true });
    commands.add('next', { code: 'KeyN', alt: true });
    commands.add('help', { code: 'F1' });
    commands.add('close', { code: 'Escape' });

    expect(registry.handle(key({ code: 'KeyK', key: 'k' }), typing)).toBe(false);
    expect(registry.handle(key({ code: 'KeyS', ctrlKey: true }), typing)).toBe(true);
    expect(registry.handle(key({ code: 'KeyN', altKey: true }), typing)).toBe(true);
    expect(registry.handle(key({ code: 'F1' }), typing)).toBe(true);
    expect(registry.handle(key({ code: 'Escape' }), typing)).toBe(true);
    expect(commands.runs).toEqual({ play: 0, save: 1, next: 1, help: 1, close: 1 });

    // The same plain key acts when focus is not in a text field.
    expect(registry.handle(key({ code: 'KeyK', key: 'k' }), idle)).toBe(true);
    expect(commands.runs['play']).toBe(1);
  });

  it('means Cmd by Mod on macOS and Ctrl by Mod elsewhere', () => {
    const mac = createCommandRegistry(true);
    const onMac = counting(mac);
    onMac.add('save', { code: 'KeyS', mod: true });
    commands.add('save', { code: 'KeyS', mod: true });

    expect(mac.handle(key({ code: 'KeyS', ctrlKey: true }), idle)).toBe(false);
    expect(mac.handle(key({ code: 'KeyS', metaKey: true }), idle)).toBe(true);
    expect(registry.handle(key({ code: 'KeyS', metaKey: true }), idle)).toBe(false);
    expect(registry.handle(key({ code: 'KeyS', ctrlKey: true }), idle)).toBe(true);
    expect(onMac.runs['save']).toBe(1);
    expect(commands.runs['save']).toBe(1);
  });

  it('does not run a command whose enabled() is false', () => {
    let open = false;
    commands.add('close', { code: 'Escape' }, () => open);

    expect(registry.handle(key({ code: 'Escape' }), idle)).toBe(false);
    open = true;
    expect(registry.handle(key({ code: 'Escape' }), idle)).toBe(true);
    expect(commands.runs['close']).toBe(1);
  });

  it('refuses to rebind to a chord another command holds, naming the holder, and changes nothing', () => {
    commands.add('play', { code: 'KeyK' });
    commands.add('save', { code: 'KeyS', mod: true });

    const result = registry.rebind('play', { code: 'KeyS', mod: true });

    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('CONFLICT');
      expect(result.error.message).toContain('"save"');
      expect(result.error.message).toContain('Mod+KeyS');
    }
    expect(registry.list().map((c) => [c.id, c.binding])).toEqual([
      ['play', { code: 'KeyK' }],
      ['save', { code: 'KeyS', mod: true }],
    ]);
    registry.handle(key({ code: 'KeyK' }), idle);
    registry.handle(key({ code: 'KeyS', ctrlKey: true }), idle);
    expect(commands.runs).toEqual({ play: 1, save: 1 });
  });

  it('frees the old chord when a command is rebound', () => {
    commands.add('play', { code: 'KeyK' });
    commands.add('pause', { code: 'KeyP' });

    expect(registry.rebind('play', { code: 'Space' })).toEqual({ ok: true, value: undefined });

    expect(registry.handle(key({ code: 'KeyK' }), idle)).toBe(false);
    expect(registry.handle(key({ code: 'Space' }), idle)).toBe(true);
    expect(commands.runs['play']).toBe(1);
    // The freed chord can be taken by another command.
    expect(registry.rebind('pause', { code: 'KeyK' }).ok).toBe(true);
    expect(registry.handle(key({ code: 'KeyK' }), idle)).toBe(true);
    expect(commands.runs['pause']).toBe(1);
  });

  it('lets a command be rebound to the chord it already has', () => {
    commands.add('play', { code: 'KeyK' });

    expect(registry.rebind('play', { code: 'KeyK', mod: false }).ok).toBe(true);
    expect(registry.handle(key({ code: 'KeyK' }), idle)).toBe(true);
  });

  it('refuses to rebind a command that is not registered', () => {
    const result = registry.rebind('nope', { code: 'KeyK' });

    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error.code).toBe('NOT_FOUND');
  });

  it('throws when an id is registered twice', () => {
    commands.add('play', { code: 'KeyK' });

    expect(() => commands.add('play', { code: 'KeyL' })).toThrow(/"play" is registered twice/);
    expect(registry.handle(key({ code: 'KeyL' }), idle)).toBe(false);
  });

  it('throws when a default binding conflicts, and registers nothing', () => {
    commands.add('play', { code: 'KeyK' });

    expect(() => commands.add('pause', { code: 'KeyK' })).toThrow(/Cannot register "pause".*"play"/);
    expect(registry.list().map((c) => c.id)).toEqual(['play']);
    registry.handle(key({ code: 'KeyK' }), idle);
    expect(commands.runs['play']).toBe(1);
  });

  it('frees the chord when a command is unregistered', () => {
    const unregister = registry.register({
      id: 'play',
      labelKey: 'commands.player.toggle',
      defaultBinding: { code: 'KeyK' },
      run: () => undefined,
    });

    unregister();

    expect(registry.list()).toEqual([]);
    expect(registry.handle(key({ code: 'KeyK' }), idle)).toBe(false);
    expect(() => commands.add('pause', { code: 'KeyK' })).not.toThrow();
  });

  describe('reviewer bindings', () => {
    beforeEach(() => {
      commands.add('play', { code: 'KeyK', mod: true });
      commands.add('back', { code: 'KeyJ', mod: true });
    });

    it('apply on top of the defaults: the new chord runs the command and the old one nothing', () => {
      expect(registry.applyOverrides({ play: { code: 'F4' } })).toEqual([]);

      expect(registry.handle(key({ code: 'KeyK', ctrlKey: true }), idle)).toBe(false);
      expect(registry.handle(key({ code: 'F4' }), typing)).toBe(true);
      expect(commands.runs['play']).toBe(1);
      expect(registry.overrides()).toEqual({ play: { code: 'F4' } });
      expect(registry.list().find((c) => c.id === 'play')).toMatchObject({
        binding: { code: 'F4' },
        defaultBinding: { code: 'KeyK', mod: true },
      });
    });

    it('can swap two commands’ chords in one go', () => {
      registry.applyOverrides({ play: { code: 'KeyJ', mod: true }, back: { code: 'KeyK', mod: true } });

      registry.handle(key({ code: 'KeyJ', ctrlKey: true }), idle);
      expect(commands.runs).toEqual({ play: 1, back: 0 });
    });

    it('drop a binding that would take a chord another command keeps, so no chord runs two commands', () => {
      expect(registry.applyOverrides({ play: { code: 'KeyJ', mod: true } })).toEqual(['play']);

      registry.handle(key({ code: 'KeyJ', ctrlKey: true }), idle);
      registry.handle(key({ code: 'KeyK', ctrlKey: true }), idle);
      expect(commands.runs).toEqual({ play: 1, back: 1 });
      expect(registry.overrides()).toEqual({});
    });

    it('name the command that holds a chord', () => {
      registry.applyOverrides({ back: { code: 'F3' } });
      expect(registry.holder({ code: 'F3' })?.id).toBe('back');
      expect(registry.holder({ code: 'KeyJ', mod: true })).toBeUndefined();
    });

    it('tell subscribers, with a new snapshot only when a binding changed', () => {
      let told = 0;
      registry.subscribe(() => (told += 1));
      const before = registry.snapshot();
      expect(registry.snapshot()).toBe(before);

      registry.applyOverrides({ play: { code: 'F4' } });

      expect(told).toBe(1);
      expect(registry.snapshot()).not.toBe(before);
      expect(registry.snapshot().find((c) => c.id === 'play')?.binding).toEqual({ code: 'F4' });
    });
  });

  describe('capturing a chord', () => {
    it('hands the next chord to the listener instead of running its command, once', () => {
      commands.add('play', { code: 'KeyK', mod: true });
      const got: unknown[] = [];
      registry.capture((b) => got.push(b));

      expect(registry.handle(key({ code: 'ControlLeft', ctrlKey: true }), typing)).toBe(true);
      expect(registry.handle(key({ code: 'KeyK', ctrlKey: true }), typing)).toBe(true);
      expect(registry.handle(key({ code: 'KeyK', ctrlKey: true }), typing)).toBe(true);

      expect(got).toEqual([{ code: 'KeyK', mod: true, alt: false, shift: false }]);
      expect(commands.runs['play']).toBe(1);
    });

    it('reports Escape as a cancel, and stops when its cancel is called', () => {
      const got: unknown[] = [];
      registry.capture((b) => got.push(b));
      registry.handle(key({ code: 'Escape' }), idle);
      const stop = registry.capture((b) => got.push(b));
      stop();

      expect(registry.handle(key({ code: 'F4' }), idle)).toBe(false);
      expect(got).toEqual([null]);
    });
  });

  it('runs no command the gate holds back', () => {
    let covered = true;
    const gated = createCommandRegistry(false, { gate: (id) => !covered || id === 'help' });
    const c = counting(gated);
    c.add('play', { code: 'KeyK', mod: true });
    c.add('help', { code: 'F1' });

    expect(gated.handle(key({ code: 'KeyK', ctrlKey: true }), idle)).toBe(false);
    expect(gated.handle(key({ code: 'F1' }), idle)).toBe(true);
    covered = false;
    expect(gated.handle(key({ code: 'KeyK', ctrlKey: true }), idle)).toBe(true);
    expect(c.runs).toEqual({ play: 1, help: 1 });
  });
});
