import { describe, expect, it } from 'vitest';
import { createI18n, pickLanguage, uiLanguages } from '../../../renderer/i18n';

describe('pickLanguage', () => {
  it('takes the first supported language from the preference list', () => {
    expect(pickLanguage(['ro-RO', 'en'])).toBe('ro');
    expect(pickLanguage(['fr-FR', 'es-419', 'en'])).toBe('es');
    expect(pickLanguage(['EN-gb'])).toBe('en');
  });

  it('falls back to English for unknown or missing preferences', () => {
    expect(pickLanguage(['xx'])).toBe('en');
    expect(pickLanguage(['fr-FR', 'de'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });

  it('offers English, Spanish and Romanian', () => {
    expect([...uiLanguages].sort()).toEqual(['en', 'es', 'ro']);
  });
});

describe('createI18n', () => {
  it('translates with the bundled resources in the chosen language', async () => {
    const es = await createI18n('es');
    const ro = await createI18n('ro');

    expect(es.language).toBe('es');
    expect(es.t('batches.heading')).toBe('Lotes');
    expect(ro.t('frame.reviewer', { pseudonym: 'demo-abc123' })).toBe('Evaluator demo-abc123');
  });

  it('makes separate instances, so changing one language leaves another alone', async () => {
    const a = await createI18n('en');
    const b = await createI18n('en');

    await a.changeLanguage('ro');

    expect(a.t('help.close')).toBe('Închide');
    expect(b.t('help.close')).toBe('Close');
  });

  it('does not HTML-escape interpolated values, leaving that to React', async () => {
    const en = await createI18n('en');

    expect(en.t('errors.loadFailed', { message: '<b>&' })).toBe('Could not load: <b>&');
  });
});
