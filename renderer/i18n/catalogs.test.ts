import { describe, expect, it } from 'vitest';
import { batchStateSchema } from '../../common/api/contract';
import { catalogs, locales, type Locale } from './catalogs';
import { en, type MessageKey } from './en';
import type { PluralForms } from './plural-forms';
import { createTranslator } from './translate';

const translated = locales.filter((locale): locale is Exclude<Locale, 'en'> => locale !== 'en');
const keys = Object.keys(en) as MessageKey[];
/** Words these languages borrow as they are. */
const SAME_AS_ENGLISH: Partial<Record<Locale, readonly MessageKey[]>> = { 'sr-Latn': ['app.name', 'header.host'], sq: ['app.name'], 'sr-Cyrl': [] };

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))].sort();
}

function forms(entry: string | PluralForms): string[] {
  return typeof entry === 'string' ? [entry] : Object.values(entry).filter((form): form is string => form !== undefined);
}

describe.each(translated)('the %s catalogue', (locale) => {
  const catalog = catalogs[locale];

  it('translates every key of the English catalogue, and no key English lacks', () => {
    expect(keys.filter((key) => catalog[key] === undefined)).toEqual([]);
    expect(Object.keys(catalog).filter((key) => !(key in en))).toEqual([]);
  });

  it('uses exactly the placeholders of the English message in every form', () => {
    for (const key of keys) {
      const wanted = placeholders(forms(en[key]).join(' '));
      const entry = catalog[key];
      if (entry === undefined) continue;
      for (const text of forms(entry)) expect(placeholders(text), `${locale} ${key}: ${text}`).toEqual(wanted);
    }
  });

  it('gives plural messages every form the language’s plural rules choose, and plain messages as plain text', () => {
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const key of keys) {
      const entry = catalog[key];
      if (entry === undefined) continue;
      if (typeof en[key] === 'string') {
        expect(typeof entry, `${locale} ${key}`).toBe('string');
        continue;
      }
      expect(typeof entry, `${locale} ${key}`).toBe('object');
      // Decimal counts never reach these messages (pages, matches), so `many` is the only category
      // a language could need that whole numbers do not: none of these three languages has it.
      for (const category of categories) expect(entry, `${locale} ${key}`).toHaveProperty(category);
    }
  });

  it('has no empty messages and no English left untranslated', () => {
    for (const key of keys) {
      const entry = catalog[key];
      if (entry === undefined) continue;
      for (const text of forms(entry)) expect(text.trim(), `${locale} ${key}`).not.toBe('');
      const english = forms(en[key]).join(' ');
      // Messages made only of placeholders, numbers and symbols are the same in every language.
      if (/[a-z]{3}/i.test(english.replace(/\{\w+\}|OCR|PNG|JPEG|TIFF|PDF|px/g, '')) && !SAME_AS_ENGLISH[locale]?.includes(key)) {
        expect(forms(entry).join(' '), `${locale} ${key}`).not.toBe(english);
      }
    }
  });

  it('names every batch state', () => {
    const t = createTranslator(locale);
    for (const state of batchStateSchema.options) expect(t(`batch.state.${state}`)).not.toBe(createTranslator('en')(`batch.state.${state}`));
  });
});

describe('Serbian plural forms', () => {
  it('say 1, 21 strana; 2–4, 22 strane; 5–20, 25 strana, in both scripts', () => {
    const latin = createTranslator('sr-Latn');
    expect([1, 21, 2, 4, 22, 5, 11, 12, 25].map((count) => latin('pages.count', { count }))).toEqual([
      '1 strana', '21 strana', '2 strane', '4 strane', '22 strane', '5 strana', '11 strana', '12 strana', '25 strana',
    ]);
    const cyrillic = createTranslator('sr-Cyrl');
    expect(cyrillic('capture.status.finished', { count: 3 })).toBe('Скенирање је завршено: сачуване су 3 стране.');
  });
});

describe('the Serbian Cyrillic catalogue', () => {
  it('is written in Serbian Cyrillic: no Latin letters beyond placeholders, acronyms and the hint’s examples, no Russian й', () => {
    for (const key of keys) {
      const entry = catalogs['sr-Cyrl'][key];
      if (entry === undefined) continue;
      for (const text of forms(entry)) {
        const rest = text.replace(/\{\w+\}|OCR|PNG|JPEG|TIFF|PDF|px|^v(?=\{)|„Priština“|„prishtine“|„Prishtinë“/g, '');
        expect(rest, `sr-Cyrl ${key}`).not.toMatch(/[a-zčćšžđ]/i);
        expect(rest, `sr-Cyrl ${key}`).not.toMatch(/[йЙ]/);
      }
    }
  });

  it('says the same as the Latin catalogue, letter for letter', () => {
    const latin = createTranslator('sr-Latn');
    const cyrillic = createTranslator('sr-Cyrl');
    const toLatin: Record<string, string> = {
      а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k', л: 'l', љ: 'lj', м: 'm', н: 'n', њ: 'nj', о: 'o',
      п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'č', џ: 'dž', ш: 'š',
    };
    const romanise = (text: string) =>
      text.replace(/[\u0400-\u04FF]/g, (letter) => {
        const lower = letter.toLowerCase();
        const latinLetter = toLatin[lower] ?? letter;
        return lower === letter ? latinLetter : latinLetter.charAt(0).toUpperCase() + latinLetter.slice(1);
      });
    for (const key of keys) {
      for (const count of [1, 3, 5]) {
        const params = { count, name: 'N', backend: 'B', message: 'M', device: 'D', file: 'F', query: 'Q', stored: 1, total: 2, shown: 3, value: 4, reason: 'R', width: 5, height: 6, title: 'T', id: 'I', state: 'S', version: '1' };
        // The hint's examples are in both scripts on purpose, so both sides are romanised.
        expect(romanise(cyrillic(key, params)), key).toBe(romanise(latin(key, params)));
      }
    }
  });
});
