import { locales, type Locale } from './catalogs';

/** Each UI language named in itself, as a language menu should show it. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  sq: 'Shqip',
  'sr-Latn': 'Srpski (latinica)',
  'sr-Cyrl': 'Српски (ћирилица)',
};

export function isLocale(value: unknown): value is Locale {
  return locales.some((locale) => locale === value);
}

/**
 * The UI language for a first start, from the browser's (the OS's) preferred languages: Albanian,
 * Serbian in the script asked for (Cyrillic, the official one, when none is named), else English.
 */
export function localeFromPreferences(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower === 'sq' || lower.startsWith('sq-')) return 'sq';
    if (lower === 'sr' || lower.startsWith('sr-')) return lower.includes('latn') ? 'sr-Latn' : 'sr-Cyrl';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** Where the clerk's choice is kept, in the catalog's settings table. */
export const LOCALE_SETTING = 'ui.locale';
