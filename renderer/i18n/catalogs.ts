import { en, type MessageKey } from './en';
import type { PluralForms } from './plural-forms';
import { sq } from './sq';
import { srCyrl } from './sr-cyrl';
import { srLatn } from './sr-latn';

export type Messages = { readonly [K in MessageKey]?: string | PluralForms };

/**
 * The UI languages. Albanian and Serbian (both scripts) are first-class and translate every key
 * (catalogs.test.ts checks it); a key added to English shows in English until they catch up.
 */
export const locales = ['en', 'sq', 'sr-Latn', 'sr-Cyrl'] as const;
export type Locale = (typeof locales)[number];

export const catalogs: Readonly<Record<Locale, Messages>> = {
  en,
  sq,
  'sr-Latn': srLatn,
  'sr-Cyrl': srCyrl,
};
