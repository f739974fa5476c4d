import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Locale } from './catalogs';
import { createTranslator, type Translate } from './translate';

interface I18n {
  readonly locale: Locale;
  readonly t: Translate;
  /** Switches the UI language; absent where the language is fixed (static renders, tests). */
  readonly setLocale?: ((locale: Locale) => void) | undefined;
}

const I18nContext = createContext<I18n>({ locale: 'en', t: createTranslator('en') });

export function I18nProvider({ locale, onLocale, children }: { locale: Locale; onLocale?: (locale: Locale) => void; children: ReactNode }) {
  const value = useMemo(() => ({ locale, t: createTranslator(locale), setLocale: onLocale }), [locale, onLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
