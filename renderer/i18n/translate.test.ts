import { describe, expect, it } from 'vitest';
import { catalogs, locales } from './catalogs';
import { en } from './en';
import { createTranslator } from './translate';
import { apiErrorCodes } from '../../common/api/errors';
import { pageStatusSchema } from '../../common/api/contract';

describe('createTranslator', () => {
  const t = createTranslator('en');

  it('fills parameters', () => {
    expect(t('capture.status.starting', { device: 'Fujitsu fi-7160' })).toBe('Starting scan on Fujitsu fi-7160…');
  });

  it('chooses the plural form by count', () => {
    expect(t('pages.count', { count: 1 })).toBe('1 page');
    expect(t('pages.count', { count: 0 })).toBe('0 pages');
    expect(t('pages.count', { count: 1200 })).toBe('1,200 pages');
  });

  it('leaves a missing parameter visible rather than printing nothing', () => {
    expect(t('capture.status.starting')).toBe('Starting scan on {device}…');
  });

  it('does not interpret parameters as templates', () => {
    expect(t('search.none', { query: '{count} $& $1' })).toBe('No pages match “{count} $& $1”.');
  });

  it('falls back to English for keys a language has not translated yet', () => {
    for (const locale of locales) {
      expect(createTranslator(locale)('viewer.close')).toBe(catalogs[locale]['viewer.close'] ?? 'Close');
    }
  });

  it('applies the language’s plural rules to its own forms (Serbian has "few")', () => {
    const forms = { one: '{count} strana', few: '{count} strane', other: '{count} strana' };
    const original = catalogs['sr-Latn']['pages.count'];
    Object.assign(catalogs['sr-Latn'], { 'pages.count': forms });
    try {
      const sr = createTranslator('sr-Latn');
      expect(sr('pages.count', { count: 3 })).toBe('3 strane');
      expect(sr('pages.count', { count: 5 })).toBe('5 strana');
    } finally {
      Object.assign(catalogs['sr-Latn'], { 'pages.count': original });
    }
  });
});

describe('the English catalogue', () => {
  it('has no empty messages', () => {
    for (const [key, entry] of Object.entries(en)) {
      const texts = typeof entry === 'string' ? [entry] : Object.values(entry);
      for (const text of texts) expect(text.trim(), key).not.toBe('');
    }
  });

  it('names every API error code and every page status', () => {
    for (const code of apiErrorCodes) expect(Object.keys(en)).toContain(`errors.code.${code}`);
    for (const status of pageStatusSchema.options) expect(Object.keys(en)).toContain(`page.status.${status}`);
  });
});
