import { describe, expect, it } from 'vitest';
import en from '../../../renderer/i18n/locales/en.json';
import es from '../../../renderer/i18n/locales/es.json';
import ro from '../../../renderer/i18n/locales/ro.json';

type Messages = { readonly [key: string]: unknown };

/** Every leaf as [dotted key, value], in file order. */
function leaves(messages: Messages, prefix = ''): [string, unknown][] {
  return Object.entries(messages).flatMap(([key, value]): [string, unknown][] => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return typeof value === 'object' && value !== null ? leaves(value as Messages, path) : [[path, value]];
  });
}

/** The {{placeholders}} a message interpolates, sorted. */
function placeholders(message: unknown): string[] {
  return [...String(message).matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((m) => m[1] ?? '').sort();
}

const translations = { es, ro } as const;
const english = new Map(leaves(en));

describe('locale files', () => {
  it('English has only non-empty strings', () => {
    for (const [key, value] of english) {
      expect(typeof value, key).toBe('string');
      expect(String(value).trim(), key).not.toBe('');
    }
    expect(english.size).toBeGreaterThan(0);
  });

  describe.each(Object.entries(translations))('%s', (_language, messages) => {
    const translated = new Map(leaves(messages));

    it('has exactly the same keys as English', () => {
      expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
    });

    it('has no empty or non-string messages', () => {
      for (const [key, value] of translated) {
        expect(typeof value, key).toBe('string');
        expect(String(value).trim(), key).not.toBe('');
      }
      expect(translated.size).toBe(english.size);
    });

    it('interpolates the same placeholders as English in every message', () => {
      for (const [key, value] of english) {
        expect(placeholders(translated.get(key)), key).toEqual(placeholders(value));
      }
    });
  });
});
