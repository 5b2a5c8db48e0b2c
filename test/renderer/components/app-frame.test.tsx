import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { AppFrame } from '../../../renderer/components/app-frame';
import { renderInProviders, type Mounted } from '../../support/render-app';

describe('AppFrame', () => {
  let mounted: Mounted | undefined;

  afterEach(() => {
    mounted?.cleanup();
    mounted = undefined;
  });

  const q = (selector: string): Element | null | undefined => mounted?.view.container.querySelector(selector);

  it('shows its content in the labelled main region and the F1 hint', async () => {
    mounted = await renderInProviders(
      <AppFrame>
        <p id="content">content</p>
      </AppFrame>,
    );

    expect(q('main')?.getAttribute('aria-label')).toBe('Review workspace');
    expect(q('main #content')).not.toBeNull();
    expect(q('.statusbar')?.textContent).toBe('Press F1 for keyboard shortcuts');
  });

  it('says loading until the session is known, then names the reviewer, mode and version', async () => {
    mounted = await renderInProviders(<AppFrame>{null}</AppFrame>);
    expect(q('[data-testid="reviewer"]')?.textContent).toBe('Loading…');
    expect(q('.badge')).toBeNull();

    const { store } = mounted;
    await act(() => store.getState().session.load());

    const pseudonym = store.getState().session.info?.identity.pseudonym ?? '';
    expect(pseudonym).toMatch(/^demo-/);
    expect(q('[data-testid="reviewer"]')?.textContent).toBe(`Reviewer ${pseudonym}`);
    expect(q('.badge')?.textContent).toBe('Demo mode');
    expect(q('.statusbar')?.textContent).toContain('Version 0.0.0-test');
  });

  it('shows why the session could not load', async () => {
    mounted = await renderInProviders(<AppFrame>{null}</AppFrame>, { before: (main) => main.services.close() });

    const { store } = mounted;
    await act(() => store.getState().session.load());

    expect(q('[role="alert"]')?.textContent).toMatch(/^Could not load: /);
    expect(q('[data-testid="reviewer"]')?.textContent).toBe('Loading…');
  });
});
