import { en, type MessageKey } from './en';
import type { PluralForms } from './plural-forms';

export type Messages = { readonly [K in MessageKey]?: string | PluralForms };

/**
 * The UI languages. Albanian and Serbian (both scripts) are first-class; their catalogues fill in
 * as translations arrive, and any key they lack falls back to English.
 */
export const locales = ['en', 'sq', 'sr-Latn', 'sr-Cyrl'] as const;
export type Locale = (typeof locales)[number];

export const catalogs: Readonly<Record<Locale, Messages>> = {
  en,
  sq: {},
  'sr-Latn': {},
  'sr-Cyrl': {},
};
