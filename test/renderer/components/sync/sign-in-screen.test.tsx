import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, type Mounted } from '../../../support/render-app';
import { click, settle } from '../../../support/render';
import { startTestService, type TestService } from '../../../support/reference-service';

const inputValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');

describe('sign-in screen and sync indicator', () => {
  let mounted: Mounted | undefined;
  let svc: TestService | undefined;

  afterEach(async () => {
    mounted?.cleanup();
    mounted = undefined;
    await svc?.stop();
    svc = undefined;
  });

  const $ = (selector: string): HTMLElement | null =>
    mounted?.view.container.querySelector<HTMLElement>(selector) ?? null;
  const input = (name: string): HTMLInputElement => {
    const el = mounted?.view.container.querySelector<HTMLInputElement>(`input[name="${name}"]`) ?? null;
    if (!el) {
      throw new Error(`no ${name} field`);
    }
    return el;
  };
  const typeIn = (name: string, text: string): void => {
    const el = input(name);
    act(() => {
      inputValue?.set?.call(el, text);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
  };
  const submit = async (): Promise<void> => {
    const form = mounted?.view.container.querySelector<HTMLFormElement>('form') ?? null;
    await act(async () => {
      form?.requestSubmit();
      await Promise.resolve();
    });
  };

  const start = async (): Promise<Mounted> => {
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAAAAAAV11', 2);
    mounted = await renderApp({ serviceUrl: svc.url });
    await settle(mounted.store, (s) => s.sync.status !== null);
    return mounted;
  };

  it('asks for account, password and code when a service is configured and nobody is signed in', async () => {
    await start();
    expect($('.sign-in h2')?.textContent).toBe('Sign in');
    expect(['account', 'password', 'totp'].map((n) => input(n).labels?.[0]?.textContent)).toEqual([
      'Account',
      'Password',
      'One-time code',
    ]);
    expect(input('totp').autocomplete).toBe('one-time-code');
    expect($('[data-testid="sync-status"]')?.getAttribute('data-connection')).toBe('signedOut');
    expect($('.batch-open')).toBeNull();
  });

  it('names each missing or malformed field before anything is sent', async () => {
    await start();
    typeIn('totp', '12ab');
    await submit();
    expect(input('account').getAttribute('aria-invalid')).toBe('true');
    expect($(`#${input('account').getAttribute('aria-describedby') ?? 'x'}`)?.textContent).toBe('Enter your account.');
    expect($(`#${input('totp').getAttribute('aria-describedby') ?? 'x'}`)?.textContent).toBe(
      'The one-time code is 6 digits.',
    );
    expect(svc?.requests.filter((l) => l.startsWith('POST /v1/sessions'))).toEqual([]);
  });

  it('says clearly when the credentials are wrong, then signs in and shows the service batches and sync status', async () => {
    const m = await start();
    const service = svc as TestService;
    typeIn('account', service.reviewer.account);
    typeIn('password', 'not the password');
    typeIn('totp', service.nextCode());
    await submit();
    await settle(m.store, (s) => s.sync.signInError !== null);
    expect($('[role="alert"]')?.textContent).toBe(
      'The account, password or one-time code is wrong. Check them and use a new code.',
    );
    expect(input('totp').value).toBe('');

    typeIn('password', service.reviewer.password);
    typeIn('totp', service.nextCode());
    // A new workstation: the operator's enrolment code approves its key, so batches arrive.
    typeIn('enrolmentCode', service.enrolmentCode());
    await submit();
    await settle(
      m.store,
      (s) => s.session.info?.mode === 'service' && s.batches.items.length === 1 && s.sync.status?.lastSyncAt !== null,
    );
    expect($('.sign-in')).toBeNull();
    expect($('[data-testid="reviewer"]')?.textContent).toBe(`Reviewer ${service.reviewer.pseudonym}`);
    expect($('[data-testid="sync-status"]')?.getAttribute('data-connection')).toBe('online');
    expect($('[data-testid="sync-pending"]')?.textContent).toBe('Waiting to sync: 0');
    expect($('.sync-indicator')?.textContent).toContain('Last sync');
  });

  it('offers "sign in again" when the session expires, and lets the reviewer keep working offline', async () => {
    const m = await start();
    const service = svc as TestService;
    await act(() => m.store.getState().sync.signIn(service.credentials()));
    await settle(m.store, (s) => s.batches.items.length === 1);
    service.advance(9 * 60 * 60 * 1000);
    await act(() => m.store.getState().sync.retry());
    await settle(m.store, (s) => s.sync.status?.connection === 'signInRequired');
    const again = [...m.view.container.querySelectorAll('button')].find((b) => b.textContent === 'Sign in again');
    click(again);
    expect($('.sign-in h2')?.textContent).toBe('Sign in again');
    expect($('.sign-in')?.textContent).toContain('nothing is lost');
    click([...m.view.container.querySelectorAll('button')].find((b) => b.textContent === 'Keep working offline'));
    expect($('.sign-in')).toBeNull();
    expect($('.batch-open')).not.toBeNull();
  });
});

describe('sync indicator in demo mode', () => {
  it('is not shown when no service is configured', async () => {
    const mounted = await renderApp();
    try {
      await settle(mounted.store, (s) => s.sync.status !== null);
      expect(mounted.view.container.querySelector('[data-testid="sync-status"]')).toBeNull();
      expect(mounted.view.container.querySelector('.sign-in')).toBeNull();
    } finally {
      mounted.cleanup();
    }
  });
});
