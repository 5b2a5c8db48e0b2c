import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchList } from '../../../renderer/components/batch-list';
import { batchSummary } from '../../support/batches';
import { writeTestPackage } from '../../support/packages';
import { click, settle } from '../../support/render';
import { renderApp, renderInProviders, type Mounted } from '../../support/render-app';
import { makeTempDir } from '../../support/temp-dir';

describe('BatchList', () => {
  let mounted: Mounted | undefined;

  afterEach(() => {
    mounted?.cleanup();
    mounted = undefined;
  });

  const rows = (): HTMLElement[] => [...(mounted?.view.container.querySelectorAll<HTMLElement>('li.batch') ?? [])];

  it('says it is loading until the list has loaded', async () => {
    mounted = await renderInProviders(<BatchList />);

    const busy = mounted.view.container.querySelector('[aria-busy="true"]');
    expect(busy?.textContent).toBe('Loading…');
    expect(mounted.view.container.querySelector('.empty')).toBeNull();
  });

  it('shows each batch with its progress, locale, expiry and status', async () => {
    mounted = await renderInProviders(<BatchList />);
    const { store } = mounted;

    act(() => {
      store.getState().batches.received([
        batchSummary({
          id: 'b-AAAAAAAAAAAAAAA1',
          clipCount: 12,
          doneCount: 5,
          withheld: { consentWithdrawn: 1, quarantined: 2 },
        }),
        batchSummary({ id: 'b-AAAAAAAAAAAAAAA2', locale: 'ro-RO', status: 'expired' }),
      ]);
    });

    const [first, second] = rows();
    expect(rows()).toHaveLength(2);
    expect(first?.dataset['status']).toBe('active');
    expect(first?.textContent).toContain('5 of 12 clips reviewed');
    expect(first?.querySelector('[data-testid="withheld"]')?.textContent).toBe(
      'Withheld, consent withdrawn: 1 · Withheld, damaged in the package: 2',
    );
    expect(second?.querySelector('[data-testid="withheld"]')).toBeNull();
    expect(first?.textContent).toContain('Language: en-US');
    expect(first?.textContent).toMatch(/Expires .*2025/);
    expect(first?.querySelector('.status')?.textContent).toBe('Active');
    expect(second?.dataset['status']).toBe('expired');
    expect(second?.querySelector('.status')?.textContent).toBe('Expired');
    expect(second?.textContent).toContain('Language: ro-RO');
  });

  it('isolates the direction of each batch id in a bdi element', async () => {
    mounted = await renderInProviders(<BatchList />);
    const { store } = mounted;

    act(() => {
      store.getState().batches.received([batchSummary({ id: 'دفعة-7' })]);
    });

    const id = rows()[0]?.querySelector('.batch-id');
    expect(id?.tagName).toBe('BDI');
    expect(id?.textContent).toBe('دفعة-7');
  });

  it('shows the status in the reviewer language', async () => {
    mounted = await renderInProviders(<BatchList />, { language: 'ro' });
    const { store } = mounted;

    act(() => {
      store.getState().batches.received([batchSummary({ status: 'revoked', doneCount: 2, clipCount: 3 })]);
    });

    expect(rows()[0]?.querySelector('.status')?.textContent).toBe('Revocat');
    expect(rows()[0]?.textContent).toContain('2 din 3 clipuri evaluate');
    expect(mounted.view.container.querySelector('h2')?.textContent).toBe('Loturi');
  });

  it('takes the focus back for the first batch when the settings close with nothing to return to', async () => {
    mounted = await renderInProviders(<BatchList />);
    const { store } = mounted;

    act(() => {
      store.getState().ui.openSettings();
      store.getState().batches.received([batchSummary({ id: 'b-AAAAAAAAAAAAAAA1' })]);
    });
    expect(document.activeElement).toBe(document.body);

    act(() => {
      store.getState().ui.closeSettings();
    });
    expect((document.activeElement as HTMLElement | null)?.dataset['batchId']).toBe('b-AAAAAAAAAAAAAAA1');
  });
});

describe('BatchList: importing a package', () => {
  let mounted: Mounted | undefined;
  let tmp: ReturnType<typeof makeTempDir> | undefined;

  afterEach(() => {
    mounted?.cleanup();
    mounted = undefined;
    tmp?.remove();
    tmp = undefined;
  });

  it('imports the package file main asks for, then says per package how it ended', async () => {
    const dir = makeTempDir('earmark-import-ui-');
    tmp = dir;
    const good = join(dir.dir, 'b-AAAAAAAAAAAA0001.earmark');
    const junk = join(dir.dir, 'junk.earmark');
    writeFileSync(junk, 'not a package');
    const chosen = [good, junk];
    mounted = await renderApp({
      dialogs: {
        choosePackage: () => Promise.resolve(chosen.shift() ?? null),
        chooseFolder: () => Promise.resolve(null),
        chooseResultsFile: () => Promise.resolve(null),
        choosePublicKeyFile: () => Promise.resolve(null),
      },
      before: (main) => {
        writeTestPackage(good, { recipient: main.services.vault.deviceKey().publicKey, batchId: 'b-AAAAAAAAAAAA0001' });
      },
    });
    const { store, view } = mounted;
    const button = [...view.container.querySelectorAll('.batches-head button')].find(
      (b) => b.textContent === 'Import package…',
    );
    const result = (): string | null | undefined =>
      view.container.querySelector('[data-testid="import-result"] [role="status"]')?.textContent;

    click(button);
    await settle(store, (s) => s.sync.offline !== null && s.batches.items.some((b) => b.id === 'b-AAAAAAAAAAAA0001'));
    expect(result()).toBe('Imported b-AAAAAAAAAAAA0001');

    click(button);
    await settle(store, (s) => s.sync.offline?.kind === 'imported' && s.sync.offline.report.refused.length === 1);
    expect(result()).toBe(
      'Refused junk.earmark: The batch package was refused: the file is not an Earmark batch package.',
    );
  });
});
