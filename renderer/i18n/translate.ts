import { catalogs, type Locale } from './catalogs';
import { en, type MessageKey } from './en';
import type { PluralForms } from './plural-forms';

export type MessageParams = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/**
 * Looks a key up in the locale's catalogue, falling back to English, then fills `{name}`
 * parameters. A parameter the caller forgot stays visible as `{name}`, so the mistake shows.
 */
export function createTranslator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  const plurals = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  return (key, params = {}) => {
    const entry = catalog[key] ?? en[key];
    const template = typeof entry === 'string' ? entry : choosePlural(entry, plurals, params['count']);
    return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const value = params[name];
      if (value === undefined) return placeholder;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
}

function choosePlural(forms: PluralForms, rules: Intl.PluralRules, count: string | number | undefined): string {
  if (typeof count !== 'number') return forms.other;
  return forms[rules.select(count)] ?? forms.other;
}
