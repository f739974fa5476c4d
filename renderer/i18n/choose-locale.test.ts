import { describe, expect, it } from 'vitest';
import { isLocale, localeFromPreferences } from './choose-locale';

describe('choosing the UI language', () => {
  it('starts in Albanian or Serbian when the system asks for it, in the script it names, Cyrillic by default', () => {
    expect(localeFromPreferences(['sq-XK', 'en-US'])).toBe('sq');
    expect(localeFromPreferences(['sr-Latn-RS'])).toBe('sr-Latn');
    expect(localeFromPreferences(['sr-RS', 'en'])).toBe('sr-Cyrl');
    expect(localeFromPreferences(['sr-Cyrl'])).toBe('sr-Cyrl');
  });

  it('takes the first language it has, and falls back to English', () => {
    expect(localeFromPreferences(['de-DE', 'sq', 'en'])).toBe('sq');
    expect(localeFromPreferences(['en-GB', 'sq'])).toBe('en');
    expect(localeFromPreferences(['de', 'fr'])).toBe('en');
    expect(localeFromPreferences([])).toBe('en');
  });

  it('knows its own locales and nothing else, for reading a saved choice back', () => {
    expect(['en', 'sq', 'sr-Latn', 'sr-Cyrl'].every(isLocale)).toBe(true);
    expect([undefined, 'sr', 'de', 42].some(isLocale)).toBe(false);
  });
});
