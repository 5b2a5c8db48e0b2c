import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { SecondListensTable } from '../../../../renderer/components/reports/second-listens-table';
import { createI18n, type UiLanguage } from '../../../../renderer/i18n';
import type { SecondListenCounts } from '../../../../shared/domain/timing';
import { render, type Rendered } from '../../../support/render';

const COUNTS: SecondListenCounts = {
  from: Date.UTC(2025, 2, 1, 8),
  to: Date.UTC(2025, 2, 8, 8),
  reviewers: [
    { pseudonym: 'rv-asks', requested: 3, answeredForThem: 2, answered: 0 },
    { pseudonym: 'rv-helps', requested: 0, answeredForThem: 0, answered: 2 },
  ],
};

describe('SecondListensTable', () => {
  let view: Rendered | undefined;
  afterEach(() => {
    view?.unmount();
    view = undefined;
  });

  const mount = async (counts: SecondListenCounts, language: UiLanguage = 'en'): Promise<HTMLElement> => {
    const i18n = await createI18n(language);
    view = await render(
      <I18nextProvider i18n={i18n}>
        <SecondListensTable counts={counts} />
      </I18nextProvider>,
    );
    return view.container;
  };
  const cells = (root: HTMLElement, reviewer: string): string[] =>
    [...root.querySelectorAll(`tr[data-reviewer="${reviewer}"] > *`)].map((c) => c.textContent);

  it('lists per reviewer the second listens asked for, answered for them and given', async () => {
    const root = await mount(COUNTS);
    expect([...root.querySelectorAll('th[scope="col"]')].map((c) => c.textContent)).toEqual([
      'Reviewer',
      'Asked for',
      'Answered by teammates',
      'Answered for teammates',
    ]);
    expect(cells(root, 'rv-asks')).toEqual(['rv-asks', '3', '2', '0']);
    expect(cells(root, 'rv-helps')).toEqual(['rv-helps', '0', '0', '2']);
    expect(root.querySelector('figcaption')?.textContent).toMatch(/^Second listens, .+2025.* to .+2025/);
  });

  it('says so when nobody in the report asked or answered, in each language', async () => {
    const es = await mount({ ...COUNTS, reviewers: [] }, 'es');
    expect(es.textContent).toContain('Ningún revisor de este informe pidió');
    expect(es.querySelector('table')).toBeNull();
  });
});
