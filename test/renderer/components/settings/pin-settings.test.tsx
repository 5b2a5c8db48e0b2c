import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { bindingProblem } from '../../../../shared/settings/hotkey-binding';
import { queryDb } from '../../../support/services';
import { click, pressKey, settle, untilState } from '../../../support/render';
import { mountReviewApp, type MountedReview } from '../review/mount-review';

const inputValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');

describe('PIN settings', () => {
  let app: MountedReview | undefined;
  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  const section = (): HTMLElement => {
    const el = document.querySelector<HTMLElement>('[data-testid="pin-settings"]');
    if (!el) {
      throw new Error('no PIN section');
    }
    return el;
  };
  const fields = (): HTMLInputElement[] => [...section().querySelectorAll('input')];
  const text = (testId: string): string => section().querySelector(`[data-testid="${testId}"]`)?.textContent ?? '';
  /** Types the PIN and its repeat and presses the section's button; a refusal shows at once. */
  const enter = (pin: string, again: string): void => {
    const [first, second] = fields();
    act(() => {
      for (const [el, value] of [
        [first, pin],
        [second, again],
      ] as const) {
        inputValue?.set?.call(el, value);
        el?.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    click(section().querySelector('button[type="submit"]'));
  };
  /** Waits until main has stored the PIN and the section has taken the answer. */
  const saved = (m: MountedReview): Promise<void> =>
    act(async () => {
      await untilState(m.store, (s) => s.lock.state?.methods.includes('pin') === true);
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  const open = async (): Promise<MountedReview> => {
    app = await mountReviewApp();
    pressKey(document.body, { code: 'F2', key: 'F2' });
    await settle(app.store, (s) => s.lock.state !== null);
    return app;
  };

  it('offers two hidden, labelled PIN fields and says no PIN is set yet', async () => {
    await open();
    expect(fields().map((f) => [f.labels?.[0]?.textContent, f.type, f.inputMode, f.autocomplete])).toEqual([
      ['New PIN', 'password', 'numeric', 'new-password'],
      ['New PIN again', 'password', 'numeric', 'new-password'],
    ]);
    expect(text('pin-state')).toBe('No PIN is set yet.');
    expect(section().querySelector('button')?.textContent).toBe('Set PIN');
  });

  it('refuses a PIN that is not 4 to 12 digits, or typed differently twice, with a message, and stores nothing', async () => {
    const m = await open();
    enter('12a4', '12a4');
    expect(text('pin-error')).toBe('A PIN is 4 to 12 digits (0–9) and nothing else.');
    expect(fields()[0]?.getAttribute('aria-invalid')).toBe('true');
    enter('123', '123');
    expect(text('pin-error')).toBe('A PIN is 4 to 12 digits (0–9) and nothing else.');
    enter('1234', '1243');
    expect(text('pin-error')).toBe('The two PINs are not the same. Type the same PIN in both fields.');
    expect(m.main.services.lock.state().methods).toEqual(['none']);
  });

  it('sets the PIN in main, only as a sealed verifier, clears the fields and then offers to change it', async () => {
    const m = await open();
    enter('86420', '86420');
    await saved(m);
    expect(text('pin-status')).toBe('PIN saved. From now on it unlocks Earmark.');
    expect(text('pin-error')).toBe('');
    expect(fields().map((f) => f.value)).toEqual(['', '']);
    expect(text('pin-state')).toBe('A PIN is set. Enter a new one twice to change it.');
    expect(section().querySelector('button')?.textContent).toBe('Change PIN');
    const [row] = queryDb<{ value: string }>(m.main.dataDir, "SELECT value FROM settings WHERE key = 'lock.pin'");
    expect(Buffer.from(row?.value ?? '', 'base64').includes(Buffer.from('86420'))).toBe(false);
    expect(row?.value).not.toContain('86420');

    act(() => {
      m.main.services.lock.lock('manual');
    });
    await act(async () => {
      await expect(m.main.services.lock.unlock('86420')).resolves.toMatchObject({ locked: false });
    });
  });
});

describe('lock command', () => {
  let app: MountedReview | undefined;
  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  it('locks on Ctrl+Shift+L, even over the settings and while typing, and the help lists it', async () => {
    app = await mountReviewApp();
    const m = app;
    await m.openBatch();
    pressKey(document.body, { code: 'F1', key: 'F1' });
    const row = document.querySelector('[data-command="app.lock"]');
    expect(row?.textContent).toBe('Lock Earmark nowCtrl+Shift+L');
    pressKey(document.body, { code: 'F1', key: 'F1' });

    const box = document.querySelector<HTMLTextAreaElement>('#transcript');
    box?.focus();
    pressKey(box ?? document.body, { code: 'KeyL', key: 'L', ctrlKey: true, shiftKey: true });
    await settle(m.store, (s) => s.lock.state?.locked === true);
    expect(m.main.services.lock.state()).toMatchObject({ locked: true, reason: 'manual' });
    expect(document.querySelector('#transcript')).toBeNull();

    await act(() => m.store.getState().lock.unlock());
    pressKey(document.body, { code: 'F2', key: 'F2' });
    expect(m.store.getState().ui.settingsOpen).toBe(true);
    pressKey(document.activeElement ?? document.body, { code: 'KeyL', key: 'L', ctrlKey: true, shiftKey: true });
    await settle(m.store, (s) => s.lock.state?.locked === true);
    expect(m.store.getState().ui.settingsOpen).toBe(false);
  });

  it('takes a chord the binding rules allow', () => {
    expect(bindingProblem({ code: 'KeyL', mod: true, shift: true }, false)).toBeNull();
    expect(bindingProblem({ code: 'KeyL', mod: true, shift: true }, true)).toBeNull();
  });

  it('locks from the button in the top bar', async () => {
    app = await mountReviewApp();
    const m = app;
    const button = document.querySelector<HTMLButtonElement>('[data-testid="lock-now"]');
    expect(button?.textContent).toBe('Lock');
    expect(button?.title).toBe('Lock Earmark now (Ctrl+Shift+L)');
    click(button);
    await settle(m.store, (s) => s.lock.state?.locked === true);
    expect(m.main.services.lock.isLocked()).toBe(true);
  });
});
