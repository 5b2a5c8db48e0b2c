import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Policy } from '../../../../main/policy/policy.schema';
import { click, pressKey, settle } from '../../../support/render';
import { mountReviewApp, type MountedReview } from '../review/mount-review';

const inputValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');

describe('settings screen', () => {
  let app: MountedReview | undefined;

  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  const $ = (selector: string): HTMLElement | null => document.querySelector<HTMLElement>(selector);
  const must = <E extends Element>(el: E | null | undefined, what: string): E => {
    if (!el) {
      throw new Error(`no ${what}`);
    }
    return el;
  };
  const dialog = (): HTMLElement | null => $('[role="dialog"][aria-labelledby="settings-title"]');
  const controlSelector = (setting: string): string =>
    `[data-setting="${setting}"] input, [data-setting="${setting}"] select`;
  const control = (setting: string): HTMLInputElement =>
    must(document.querySelector<HTMLInputElement>(controlSelector(setting)), setting);
  const selectControl = (setting: string): HTMLSelectElement =>
    must(document.querySelector<HTMLSelectElement>(controlSelector(setting)), setting);
  const row = (command: string): HTMLElement => must($(`tr[data-command="${command}"]`), `row ${command}`);
  const rowButton = (command: string, index: 0 | 1): HTMLButtonElement =>
    must(row(command).querySelectorAll<HTMLButtonElement>('button')[index], 'button');
  const mount = async (policy?: Policy): Promise<MountedReview> => {
    app = await mountReviewApp(policy ? { policy } : {});
    return app;
  };
  const openSettings = (): HTMLElement => {
    pressKey(document.activeElement ?? document.body, { code: 'F2', key: 'F2' });
    return must(dialog(), 'settings dialog');
  };
  const choose = (select: HTMLSelectElement, value: string): void => {
    act(() => {
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
  };
  const typeIn = (input: HTMLInputElement, text: string): void => {
    act(() => {
      input.focus();
      inputValue?.set?.call(input, text);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  };
  /** Captures a chord for `command` as a keyboard user would: Change, then the keys. */
  const rebind = (command: string, init: KeyboardEventInit): void => {
    const change = rowButton(command, 0);
    change.focus();
    click(change);
    pressKey(change, init);
  };

  it('opens on F2, names every control, and closes on Escape with the focus back where it was', async () => {
    const { store } = await mount();
    const before = document.activeElement;

    const d = openSettings();

    expect(store.getState().ui.settingsOpen).toBe(true);
    expect(d.getAttribute('aria-modal')).toBe('true');
    expect(d.contains(document.activeElement)).toBe(true);
    const controls = [...d.querySelectorAll<HTMLElement>('input, select, button')];
    expect(controls.length).toBeGreaterThan(40);
    for (const c of controls) {
      const name =
        c.getAttribute('aria-label') ?? ((c as HTMLInputElement).labels?.[0]?.textContent ?? c.textContent).trim();
      expect(name, c.outerHTML).not.toBe('');
    }
    expect(row('settings.open').querySelector('kbd')?.textContent).toBe('F2');

    pressKey(document.activeElement ?? document.body, { code: 'Escape', key: 'Escape' });

    expect(dialog()).toBeNull();
    expect(document.activeElement).toBe(before);
  });

  it('stores a changed setting in main, and a blank prefill opens the next clip with an empty editor', async () => {
    const { main, store } = await mount();
    openSettings();

    choose(selectControl('prefill'), 'blank');
    await settle(store, (s) => s.settings.values.prefill === 'blank');
    pressKey(document.body, { code: 'Escape' });
    await app?.openBatch();

    expect(main.services.settings.get().values.prefill).toBe('blank');
    expect(must(document.querySelector<HTMLTextAreaElement>('textarea.transcript'), 'editor').value).toBe('');
    expect(store.getState().review.body.transcript).toBe('');
  });

  it('refuses a number out of range in the reviewer’s language, and stores one in range on Enter', async () => {
    const { main, store } = await mount();
    openSettings();
    const idle = control('idleSeconds');

    typeIn(idle, '2');
    pressKey(idle, { key: 'Enter', code: 'Enter' });

    expect($('[data-setting="idleSeconds"] [role="alert"]')?.textContent).toBe('Enter a whole number from 5 to 600.');
    expect(idle.getAttribute('aria-invalid')).toBe('true');
    expect(main.services.settings.get().values.idleSeconds).toBe(30);

    typeIn(idle, '45');
    pressKey(idle, { key: 'Enter', code: 'Enter' });
    await settle(store, (s) => s.settings.values.idleSeconds === 45);

    expect(main.services.settings.get().values.idleSeconds).toBe(45);
    expect($('[data-setting="idleSeconds"] [role="alert"]')).toBeNull();
  });

  it('names the entry at fault in a list, and stores a good list', async () => {
    const { main, store } = await mount();
    openSettings();
    const types = control('entityTypes');
    expect(types.value).toBe('artist song album contact place app product');

    typeIn(types, 'artist Podcast');
    pressKey(types, { key: 'Enter', code: 'Enter' });
    expect($('[data-setting="entityTypes"] [role="alert"]')?.textContent).toContain('“Podcast” is not allowed here');

    typeIn(types, 'artist, podcast');
    pressKey(types, { key: 'Enter', code: 'Enter' });
    await settle(store, (s) => s.settings.values.entityTypes.length === 2);
    expect(main.services.settings.get().values.entityTypes).toEqual(['artist', 'podcast']);
  });

  it('refuses a chord another command holds, naming it, and keeps both bindings', async () => {
    const { main } = await mount();
    openSettings();

    rebind('player.toggle', { code: 'KeyJ', key: 'j', ctrlKey: true });

    expect($('[data-testid="hotkey-error"]')?.textContent).toBe(
      'Ctrl+J is already used by “Back 3 seconds”. Give that command other keys first.',
    );
    expect(row('player.toggle').querySelector('kbd')?.textContent).toBe('Ctrl+K');
    expect(main.services.settings.get().values.hotkeys).toEqual({});
  });

  it.each<[KeyboardEventInit, string]>([
    [{ code: 'KeyP', key: 'p' }, 'P would act while you type'],
    [{ code: 'KeyC', key: 'c', ctrlKey: true }, 'Ctrl+C is kept for text editing'],
    [{ code: 'Tab', key: 'Tab' }, 'Tab is kept for text editing'],
    [{ code: 'KeyQ', key: '@', ctrlKey: true, altKey: true }, 'Ctrl+Alt+Q is AltGr on many keyboards'],
  ])('refuses %j as a new chord', async (init, message) => {
    const { main } = await mount();
    openSettings();

    rebind('player.toggle', init);

    expect($('[data-testid="hotkey-error"]')?.textContent).toContain(message);
    expect(main.services.settings.get().values.hotkeys).toEqual({});
  });

  it('waits through a modifier pressed alone and cancels on Escape, leaving the screen open', async () => {
    const { main } = await mount();
    openSettings();
    const change = rowButton('player.toggle', 0);
    change.focus();
    click(change);
    expect(change.getAttribute('aria-pressed')).toBe('true');
    expect($('[data-testid="hotkey-status"]')?.textContent).toBe(
      'Press the new keys for “Play or pause”, or Esc to cancel.',
    );

    pressKey(change, { code: 'ControlLeft', key: 'Control', ctrlKey: true });
    expect(change.getAttribute('aria-pressed')).toBe('true');
    pressKey(change, { code: 'Escape', key: 'Escape' });

    expect(change.getAttribute('aria-pressed')).toBe('false');
    expect(dialog()).not.toBeNull();
    expect($('[data-testid="hotkey-status"]')?.textContent).toBe('Nothing was changed.');
    expect(main.services.settings.get().values.hotkeys).toEqual({});
  });

  it('rebinds by keyboard: the new chord runs the command, the old one no longer does, and reset brings it back', async () => {
    const { main, store, audio } = await mount();
    openSettings();

    rebind('player.toggle', { code: 'KeyP', key: 'P', ctrlKey: true, shiftKey: true });
    await settle(store, (s) => Object.keys(s.settings.values.hotkeys).length === 1);

    expect(main.services.settings.get().values.hotkeys).toEqual({
      'player.toggle': { code: 'KeyP', mod: true, shift: true },
    });
    expect(row('player.toggle').querySelector('kbd')?.textContent).toBe('Ctrl+Shift+P');
    expect($('[data-testid="hotkey-status"]')?.textContent).toBe('“Play or pause” is now Ctrl+Shift+P.');
    pressKey(document.body, { code: 'Escape' });
    await app?.openBatch();
    const box = must($('textarea.transcript'), 'editor');
    expect(audio.playing).toBe(true);
    expect(must($('button[aria-keyshortcuts="Ctrl+Shift+P"]'), 'play button hint').getAttribute('aria-label')).toBe(
      'Pause',
    );

    expect(pressKey(box, { code: 'KeyK', key: 'k', ctrlKey: true }).defaultPrevented).toBe(false);
    expect(audio.playing).toBe(true);
    expect(pressKey(box, { code: 'KeyP', key: 'P', ctrlKey: true, shiftKey: true }).defaultPrevented).toBe(true);
    expect(audio.playing).toBe(false);

    openSettings();
    click(rowButton('player.toggle', 1));
    await settle(store, (s) => Object.keys(s.settings.values.hotkeys).length === 0);
    expect(row('player.toggle').querySelector('kbd')?.textContent).toBe('Ctrl+K');
  });

  it('takes a chord freed by another command, and resets every binding at once', async () => {
    const { main, store } = await mount();
    openSettings();
    rebind('player.back3', { code: 'F3', key: 'F3' });
    await settle(store, (s) => Object.keys(s.settings.values.hotkeys).length === 1);

    rebind('player.toggle', { code: 'KeyJ', key: 'j', ctrlKey: true });
    await settle(store, (s) => Object.keys(s.settings.values.hotkeys).length === 2);
    expect(main.services.settings.get().values.hotkeys).toEqual({
      'player.back3': { code: 'F3' },
      'player.toggle': { code: 'KeyJ', mod: true },
    });

    const resetAll = must(
      [...(dialog()?.querySelectorAll('button') ?? [])].find((b) => b.textContent === 'Reset all shortcuts'),
      'reset all',
    );
    click(resetAll);
    await settle(store, (s) => Object.keys(s.settings.values.hotkeys).length === 0);
    expect(row('player.back3').querySelector('kbd')?.textContent).toBe('Ctrl+J');
  });

  it('shows what the policy decides as disabled, with a note, and keeps the bindings fixed', async () => {
    await mount({ prefill: 'blank', breaks: { breaksSkippable: false }, hotkeysCustomisable: false });
    const d = openSettings();

    const prefill = selectControl('prefill');
    expect(prefill.disabled).toBe(true);
    expect(prefill.value).toBe('blank');
    const note = must(document.getElementById(prefill.getAttribute('aria-describedby') ?? ''), 'note');
    expect(note.textContent).toBe('Set by your administrator');
    expect(control('breaks.breaksSkippable').disabled).toBe(true);
    expect(control('breaks.microBreakMinutes').disabled).toBe(false);
    expect(selectControl('autoBackstepMs').disabled).toBe(false);
    expect(rowButton('player.toggle', 0).disabled).toBe(true);
    expect(d.querySelector('.settings-hotkeys .setting-locked')?.textContent).toBe('Set by your administrator');
  });

  it('says a setting pinned by policy is the administrator’s, in the reviewer’s language, not main’s English', async () => {
    app = await mountReviewApp({ policy: { prefill: 'blank' }, language: 'es' });
    const { store } = app;
    // A screen that has not yet heard of the pin (the policy changed under it) lets the reviewer
    // try; main refuses, and the refusal is what the field says.
    let answered: Promise<unknown> = Promise.resolve();
    const update = store.getState().settings.update;
    act(() => {
      store.setState((s) => ({
        settings: { ...s.settings, locked: [], update: (patch) => (answered = update(patch)) },
      }));
    });
    openSettings();

    choose(selectControl('prefill'), 'asr');
    await act(async () => {
      await answered;
    });

    const alert = $('[data-setting="prefill"] [role="alert"]')?.textContent;
    expect(alert).toBe('Tu administrador ha fijado este ajuste; no se puede cambiar aquí.');
    expect(alert).not.toMatch(/administrator|not saved/i);
    expect(app.main.services.settings.get().values.prefill).toBe('blank');
  });

  it('keeps the language the window started in while the reviewer has chosen none', async () => {
    app = await mountReviewApp({ language: 'es' });
    const { main, store } = app;

    main.services.settings.update({ autoplay: false });
    await settle(store, (s) => !s.settings.values.autoplay);
    openSettings();

    expect(document.getElementById('settings-title')?.textContent).toBe('Ajustes');
  });

  it('switches the interface language at once', async () => {
    const { main, store } = await mount();
    openSettings();

    choose(selectControl('uiLanguage'), 'es');
    await settle(store, (s) => s.settings.values.uiLanguage === 'es');

    expect(main.services.settings.get().values.uiLanguage).toBe('es');
    expect(document.getElementById('settings-title')?.textContent).toBe('Ajustes');
    expect(document.documentElement.lang).toBe('es');
    choose(selectControl('uiLanguage'), '');
    await settle(store, (s) => s.settings.values.uiLanguage === null);
    expect(document.getElementById('settings-title')?.textContent).toBe('Settings');
  });
});
