/**
 * Accessibility check shared by every e2e spec: axe-core over the live page, failing on any
 * serious or critical violation with the rule, its help text and the offending nodes.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const BLOCKING = new Set(['serious', 'critical']);

/** Runs axe on the page (or the part under `include`) and fails on serious or critical findings. */
export async function expectAccessible(page: Page, include?: string): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (include) {
    builder = builder.include(include);
  }
  const { violations } = await builder.analyze();
  const blocking = violations
    .filter((v) => v.impact && BLOCKING.has(v.impact))
    .map((v) => `${v.impact}: ${v.id} — ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  expect(blocking, 'axe found serious or critical accessibility violations').toEqual([]);
}
