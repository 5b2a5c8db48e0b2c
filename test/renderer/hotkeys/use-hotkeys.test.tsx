import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useHotkeys } from '../../../renderer/hotkeys/use-hotkeys';
import { createCommandRegistry, type CommandRegistry } from '../../../renderer/hotkeys/registry';
import { pressKey, render, type Rendered } from '../../support/render';

function Editor({ registry, onKey }: { readonly registry: CommandRegistry; readonly onKey: (code: string) => void }) {
  useHotkeys(registry);
  return <textarea aria-label="transcript" onKeyDown={(e) => onKey(e.code)} />;
}

describe('useHotkeys', () => {
  let registry: CommandRegistry;
  let ran: string[];
  let reached: string[];
  let view: Rendered;
  let textarea: HTMLTextAreaElement;

  beforeEach(async () => {
    ran = [];
    reached = [];
    registry = createCommandRegistry(false);
    registry.register({
      id: 'save',
      labelKey: 'commands.player.toggle',
      defaultBinding: { code: 'KeyS', mod: true },
      run: () => ran.push('save'),
    });
    registry.register({
      id: 'play',
      labelKey: 'commands.player.toggle',
      defaultBinding: { code: 'KeyK' },
      run: () => ran.push('play'),
    });
    view = await render(<Editor registry={registry} onKey={(code) => reached.push(code)} />);
    const found = view.container.querySelector('textarea');
    if (!found) {
      throw new Error('no textarea rendered');
    }
    textarea = found;
    textarea.focus();
  });

  afterEach(() => {
    view.unmount();
  });

  it('prevents the default of a handled key so it does not type into a focused textarea', () => {
    const event = pressKey(textarea, { code: 'KeyS', key: 's', ctrlKey: true });

    expect(ran).toEqual(['save']);
    expect(event.defaultPrevented).toBe(true);
    // Stopped at the window in the capture phase: the textarea never sees the key.
    expect(reached).toEqual([]);
    expect(textarea.value).toBe('');
  });

  it('leaves a plain key alone while the textarea has focus, so it types', () => {
    const event = pressKey(textarea, { code: 'KeyK', key: 'k' });

    expect(ran).toEqual([]);
    expect(event.defaultPrevented).toBe(false);
    expect(reached).toEqual(['KeyK']);
  });

  it('runs a plain-key command when focus is outside any text field', () => {
    textarea.blur();
    const event = pressKey(document.body, { code: 'KeyK', key: 'k' });

    expect(ran).toEqual(['play']);
    expect(event.defaultPrevented).toBe(true);
  });

  it('ignores auto-repeat and keys pressed while an IME is composing', () => {
    pressKey(textarea, { code: 'KeyS', ctrlKey: true, repeat: true });
    pressKey(textarea, { code: 'KeyS', ctrlKey: true, isComposing: true });

    expect(ran).toEqual([]);
    expect(reached).toEqual(['KeyS', 'KeyS']);
  });

  it('stops listening once unmounted', () => {
    view.unmount();
    const event = pressKey(document.body, { code: 'KeyS', ctrlKey: true });

    expect(ran).toEqual([]);
    expect(event.defaultPrevented).toBe(false);
  });
});
