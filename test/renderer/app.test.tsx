import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { newBatch } from '../support/batches';
import { click, pressKey } from '../support/render';
import { renderApp, type Mounted } from '../support/render-app';

describe('App', () => {
  let app: Mounted | undefined;

  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  const text = (selector: string): string | null | undefined =>
    app?.view.container.querySelector(selector)?.textContent;
  const dialog = (): Element | null => document.querySelector('[role="dialog"]');

  it('shows the reviewer pseudonym, the demo badge and the empty batch state', async () => {
    app = await renderApp();

    const pseudonym = app.store.getState().session.info?.identity.pseudonym ?? '';
    expect(pseudonym).toMatch(/^demo-/);
    expect(text('[data-testid="reviewer"]')).toBe(`Reviewer ${pseudonym}`);
    expect(text('.badge')).toBe('Demo mode');
    expect(text('.empty')).toBe('No batches on this workstation yet.');
    expect(text('.statusbar')).toContain('Version 0.0.0-test');
    expect(app.view.container.querySelector('[role="alert"]')).toBeNull();
  });

  it('opens the help dialog on F1, listing the commands, and closes it on Escape', async () => {
    app = await renderApp();
    expect(dialog()).toBeNull();

    const f1 = pressKey(document.body, { code: 'F1', key: 'F1' });

    const open = dialog();
    expect(f1.defaultPrevented).toBe(true);
    expect(open).not.toBeNull();
    expect(document.activeElement).toBe(open);
    const toggle = open?.querySelector('[data-command="help.toggle"]');
    expect(toggle?.textContent).toContain('Show or hide keyboard shortcuts');
    expect(toggle?.querySelector('kbd')?.textContent).toBe('F1');
    expect(open?.querySelector('[data-command="app.dismiss"] kbd')?.textContent).toBe('Esc');
    expect(open?.querySelector('[data-command="app.back"] kbd')?.textContent).toBe('Alt+←');

    pressKey(document.body, { code: 'Escape', key: 'Escape' });

    expect(dialog()).toBeNull();
    expect(app.store.getState().ui.helpOpen).toBe(false);
  });

  it('toggles the help closed with F1 and lets Escape pass when the help is closed', async () => {
    app = await renderApp();

    pressKey(document.body, { code: 'F1' });
    pressKey(document.body, { code: 'F1' });
    const escape = pressKey(document.body, { code: 'Escape' });

    expect(dialog()).toBeNull();
    expect(escape.defaultPrevented).toBe(false);
  });

  it('closes the help with its Close button', async () => {
    app = await renderApp();
    pressKey(document.body, { code: 'F1' });
    const close = dialog()?.querySelector('button');
    expect(close?.textContent).toBe('Close');

    click(close);

    expect(dialog()).toBeNull();
  });

  it('renders a batch id containing markup as text, creating no script element', async () => {
    const id = 'b-<script>window.pwned=1</script><img src=x onerror=alert(1)>';
    app = await renderApp({ seed: (db) => db.batches.insert(newBatch({ id })) });

    expect(text('.batch-id')).toBe(id);
    expect(document.querySelector('script')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
    expect('pwned' in window).toBe(false);
  });

  it('shows the batches stored on the workstation and updates when main pushes a change', async () => {
    app = await renderApp({ seed: (db) => db.batches.insert(newBatch({ id: 'b-AAAAAAAAAAST0RED', clipCount: 7 })) });
    expect(text('.batch-id')).toBe('b-AAAAAAAAAAST0RED');
    expect(text('.batch')).toContain('0 of 7 clips reviewed');

    const [stored] = app.store.getState().batches.items;
    expect(stored).toBeDefined();
    const { main } = app;
    act(() => {
      if (stored) {
        main.services.events.emit('batches:changed', [{ ...stored, id: 'b-AAAAAAAAAAPVSHED', doneCount: 3 }]);
      }
    });

    expect(text('.batch-id')).toBe('b-AAAAAAAAAAPVSHED');
    expect(text('.batch')).toContain('3 of 7 clips reviewed');
  });

  it('shows an import main reports as a progress bar, then how it ended', async () => {
    app = await renderApp();
    expect(app.view.container.querySelector('.batches-head button')?.textContent).toBe('Import package…');
    const { main } = app;
    const report = (phase: 'importing' | 'done', clipsDone: number): void =>
      act(() => {
        main.services.events.emit('imports:changed', {
          importId: 'i-1',
          batchId: 'b-AAAAAAAAAAAAANEW',
          phase,
          clipsDone,
          clipsTotal: 15,
        });
      });

    report('importing', 6);
    const bar = app.view.container.querySelector<HTMLProgressElement>('[data-testid="imports"] progress');
    expect(bar?.value).toBe(6);
    expect(bar?.max).toBe(15);
    expect(text('[data-testid="imports"] li[data-phase="importing"]')).toBe(
      'Importing b-AAAAAAAAAAAAANEW: 6 of 15 clips',
    );

    report('done', 15);
    expect(app.view.container.querySelector('[data-testid="imports"] progress')).toBeNull();
    expect(app.view.container.querySelectorAll('[data-testid="imports"] li')).toHaveLength(1);
    expect(text('[data-testid="imports"] li[data-phase="done"]')).toBe('Imported b-AAAAAAAAAAAAANEW: 15 of 15 clips');
  });

  it('stops listening for pushes once unmounted', async () => {
    app = await renderApp();
    app.view.unmount();

    app.main.services.events.emit('batches:changed', [
      {
        id: 'late',
        locale: 'en-US',
        clipCount: 1,
        doneCount: 0,
        withheld: { consentWithdrawn: 0, quarantined: 0 },
        expiresAt: 0,
        status: 'active',
      },
    ]);

    expect(app.store.getState().batches.items).toEqual([]);
  });

  it('shows an alert instead of crashing when main cannot answer', async () => {
    app = await renderApp({ before: (main) => main.services.close() });

    const alerts = [...app.view.container.querySelectorAll('[role="alert"]')].map((a) => a.textContent);
    expect(alerts.length).toBe(2);
    expect(alerts[0]).toMatch(/^Could not load: Something went wrong/);
    expect(text('[data-testid="reviewer"]')).toBe('Loading…');
    expect(text('.empty')).toBeUndefined();
  });

  it('speaks Spanish when created with the Spanish resources', async () => {
    app = await renderApp({ language: 'es' });

    const pseudonym = app.store.getState().session.info?.identity.pseudonym ?? '';
    expect(text('[data-testid="reviewer"]')).toBe(`Revisor ${pseudonym}`);
    expect(text('.empty')).toBe('Todavía no hay lotes en esta estación de trabajo.');
    expect(text('h2')).toBe('Lotes');
  });

  it('labels the help dialog by its title', async () => {
    app = await renderApp();

    pressKey(document.body, { code: 'F1' });

    expect(dialog()?.getAttribute('aria-modal')).toBe('true');
    expect(dialog()?.getAttribute('aria-labelledby')).toBe('help-title');
    expect(document.getElementById('help-title')?.textContent).toBe('Keyboard shortcuts');
  });
});
