import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { FREE_TRIES } from '../../../../main/services/lock.service';
import { click, settle } from '../../../support/render';
import { renderApp, type Mounted } from '../../../support/render-app';

const inputValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');

describe('lock screen', () => {
  let mounted: Mounted | undefined;
  afterEach(() => {
    mounted?.cleanup();
    mounted = undefined;
  });

  const $ = (selector: string): HTMLElement | null | undefined =>
    mounted?.view.container.querySelector<HTMLElement>(selector);
  const screen = () => $('[data-testid="lock-screen"]');
  const secretBox = (): HTMLInputElement => {
    const el = screen()?.querySelector('input');
    if (!(el instanceof HTMLInputElement)) {
      throw new Error('no secret field');
    }
    return el;
  };
  /** Types `text` and presses the form's button; resolves once main has answered. */
  const tryToUnlock = async (m: Mounted, text: string): Promise<void> => {
    act(() => {
      inputValue?.set?.call(secretBox(), text);
      secretBox().dispatchEvent(new Event('input', { bubbles: true }));
    });
    click(screen()?.querySelector('button[type="submit"]'));
    await settle(m.store, (s) => !s.lock.unlocking);
  };

  it('covers the work while locked, says why, and in demo mode without a PIN asks only to confirm', async () => {
    mounted = await renderApp();
    const m = mounted;
    await settle(m.store, (s) => s.lock.state !== null);
    expect($('.batches')).not.toBeNull();
    act(() => {
      m.main.services.lock.lock('suspend');
    });
    await settle(m.store, (s) => s.lock.state?.locked === true);
    expect(screen()?.querySelector('h2')?.textContent).toBe('Earmark is locked');
    expect(screen()?.textContent).toContain('the computer went to sleep');
    expect(screen()?.textContent).toContain('Your work is saved and kept.');
    expect(screen()?.textContent).toContain('No PIN is set, so there is nothing to type.');
    expect(screen()?.querySelector('input')).toBeNull();
    expect($('.batches')).toBeNull();
    // Nothing of the frame's controls either: no lock button while locked.
    expect($('[data-testid="lock-now"]')).toBeNull();
    click(screen()?.querySelector('button'));
    await settle(m.store, (s) => s.lock.state?.locked === false);
    expect(screen()).toBeNull();
    expect($('.batches')).not.toBeNull();
  });

  it('says a wrong PIN in Spanish, with nothing of main’s English', async () => {
    mounted = await renderApp({ language: 'es' });
    const m = mounted;
    await act(() => m.main.services.lock.setPin('2468'));
    act(() => {
      m.main.services.lock.lock('manual');
    });
    await settle(m.store, (s) => s.lock.state?.locked === true);

    await tryToUnlock(m, '1357');

    expect(m.store.getState().lock.error?.code).toBe('WRONG_SECRET');
    expect($('[data-testid="lock-error"]')?.textContent).toBe('La contraseña o el PIN no son correctos.');
    expect(screen()?.textContent).not.toContain(m.store.getState().lock.error?.message ?? 'no message');
  });

  it('asks for the PIN once one is set, says when it is wrong, and after too many tries until when to wait', async () => {
    mounted = await renderApp();
    const m = mounted;
    await act(() => m.main.services.lock.setPin('2468'));
    act(() => {
      m.main.services.lock.lock('idle');
    });
    await settle(m.store, (s) => s.lock.state?.locked === true);
    expect(screen()?.querySelector('label')?.textContent).toBe('PIN');
    expect(secretBox().type).toBe('password');
    expect(secretBox().inputMode).toBe('numeric');

    await tryToUnlock(m, '1357');
    expect($('[data-testid="lock-error"]')?.textContent).toBe('That password or PIN is not right.');
    expect(secretBox().getAttribute('aria-invalid')).toBe('true');
    expect(secretBox().value).toBe('');
    for (let i = 1; i < FREE_TRIES; i += 1) {
      await tryToUnlock(m, '1357');
    }
    await settle(m.store, (s) => s.lock.state?.retryAt !== null);
    expect($('[data-testid="lock-error"]')?.textContent).toMatch(
      /^That password or PIN is not right\. You can try again at \d{1,2}:\d{2}:\d{2}/,
    );

    await tryToUnlock(m, '2468');
    expect($('[data-testid="lock-error"]')?.textContent).toMatch(/^You can try again at /);
    expect(m.store.getState().lock.state?.locked).toBe(true);
  });

  it('unlocks with the right PIN', async () => {
    mounted = await renderApp();
    const m = mounted;
    await act(() => m.main.services.lock.setPin('2468'));
    act(() => {
      m.main.services.lock.lock('manual');
    });
    await settle(m.store, (s) => s.lock.state?.locked === true);
    await tryToUnlock(m, '2468');
    await settle(m.store, (s) => s.lock.state?.locked === false);
    expect(screen()).toBeNull();
  });
});
