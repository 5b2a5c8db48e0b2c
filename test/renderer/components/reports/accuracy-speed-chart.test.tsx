import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { AccuracySpeedChart } from '../../../../renderer/components/reports/accuracy-speed-chart';
import { createI18n, type UiLanguage } from '../../../../renderer/i18n';
import type { ShiftReport } from '../../../../shared/domain/timing';
import { goldFigures } from '../../../../shared/timing/gold-figures';
import { render, type Rendered } from '../../../support/render';
import { reportSummary } from '../../../support/report-summary';

const HOUR = 3_600_000;

const REPORT: ShiftReport = {
  generatedAt: 0,
  summaries: [
    reportSummary('s-1', 'rv-fast', { workMs: HOUR, clipsDone: 120 }),
    reportSummary('s-2', 'rv-careful', { workMs: HOUR, clipsDone: 60 }),
    reportSummary('s-3', 'rv-new', { workMs: HOUR, clipsDone: 30 }),
  ],
  clips: [],
  breaks: [],
  escalations: [],
  gold: [
    { shiftId: 's-1', ...goldFigures([{ referenceWords: 10, wordErrors: 3, dispositionAgreed: false }]) },
    { shiftId: 's-2', ...goldFigures([{ referenceWords: 20, wordErrors: 1, dispositionAgreed: true }]) },
  ],
};

describe('AccuracySpeedChart', () => {
  let view: Rendered | undefined;
  afterEach(() => {
    view?.unmount();
    view = undefined;
  });

  const mount = async (language: UiLanguage = 'en'): Promise<HTMLElement> => {
    const i18n = await createI18n(language);
    view = await render(
      <I18nextProvider i18n={i18n}>
        <AccuracySpeedChart report={REPORT} />
      </I18nextProvider>,
    );
    return view.container;
  };
  const cells = (root: HTMLElement, reviewer: string): string[] =>
    [...root.querySelectorAll(`tr[data-reviewer="${reviewer}"] > *`)].map((c) => c.textContent);

  it('draws a point per reviewer with gold clips and lists every reviewer’s figures as text', async () => {
    const root = await mount();
    expect([...root.querySelectorAll('svg g[data-reviewer]')].map((g) => g.getAttribute('data-reviewer'))).toEqual([
      'rv-careful',
      'rv-fast',
    ]);
    expect(cells(root, 'rv-fast')).toEqual(['rv-fast', '120.0', '1', '30.0 %', '0.0 %']);
    expect(cells(root, 'rv-careful')).toEqual(['rv-careful', '60.0', '1', '5.0 %', '100.0 %']);
    expect(cells(root, 'rv-new')).toEqual(['rv-new', '30.0', '0', '—', '—']);
    const label = root.querySelector('svg')?.getAttribute('aria-label') ?? '';
    expect(label).toContain('rv-fast: 120.0 clips per hour, gold WER 30.0 %');
    // The faster, less accurate reviewer sits further right and higher (more errors).
    const at = (r: string) => root.querySelector(`g[data-reviewer="${r}"] circle`);
    expect(Number(at('rv-fast')?.getAttribute('cx'))).toBeGreaterThan(Number(at('rv-careful')?.getAttribute('cx')));
    expect(Number(at('rv-fast')?.getAttribute('cy'))).toBeLessThan(Number(at('rv-careful')?.getAttribute('cy')));
  });

  it('speaks every language', async () => {
    for (const language of ['es', 'ro'] as const) {
      const root = await mount(language);
      expect(root.querySelector('figcaption')?.textContent).not.toBe('goldChart.title');
      expect(root.querySelector('figcaption')?.textContent).not.toContain('gold WER by clips per hour');
      view?.unmount();
    }
  });
});
