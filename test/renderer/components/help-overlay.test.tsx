import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { HelpOverlay } from '../../../renderer/components/help-overlay';
import type { CommandView } from '../../../renderer/hotkeys/registry';
import { click } from '../../support/render';
import { renderInProviders, type Mounted } from '../../support/render-app';

const commands: readonly CommandView[] = [
  { id: 'help.toggle', labelKey: 'commands.help.toggle', binding: { code: 'F1' }, defaultBinding: { code: 'F1' } },
  {
    id: 'save',
    labelKey: 'commands.app.back',
    binding: { code: 'KeyS', mod: true, alt: true },
    defaultBinding: { code: 'F9' },
  },
];

describe('HelpOverlay', () => {
  let mounted: Mounted | undefined;

  afterEach(() => {
    mounted?.cleanup();
    mounted = undefined;
  });

  const open = (m: Mounted): void => {
    act(() => m.store.getState().ui.toggleHelp());
  };
  const keysOf = (id: string): string | null | undefined =>
    document.querySelector(`[data-command="${id}"] kbd`)?.textContent;

  it('renders nothing while the help is closed', async () => {
    mounted = await renderInProviders(<HelpOverlay commands={commands} isMac={false} />);

    expect(mounted.view.container.innerHTML).toBe('');
  });

  it('lists every command with its label and keys, and takes focus', async () => {
    mounted = await renderInProviders(<HelpOverlay commands={commands} isMac={false} />);
    open(mounted);

    const dialog = document.querySelector('[role="dialog"]');
    expect(document.activeElement).toBe(dialog);
    expect(dialog?.querySelectorAll('tbody tr')).toHaveLength(2);
    expect(document.querySelector('[data-command="help.toggle"] td')?.textContent).toBe(
      'Show or hide keyboard shortcuts',
    );
    expect(keysOf('help.toggle')).toBe('F1');
    expect(keysOf('save')).toBe('Ctrl+Alt+S');
  });

  it('names the keys the macOS way on macOS', async () => {
    mounted = await renderInProviders(<HelpOverlay commands={commands} isMac={true} />);
    open(mounted);

    expect(keysOf('save')).toBe('⌘+⌥+S');
  });

  it('closes from its Close button', async () => {
    mounted = await renderInProviders(<HelpOverlay commands={commands} isMac={false} />);
    open(mounted);

    click(document.querySelector('[role="dialog"] button'));

    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(mounted.store.getState().ui.helpOpen).toBe(false);
  });
});
