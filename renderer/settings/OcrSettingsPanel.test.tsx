import { describe, expect, it } from 'vitest';
import type { MessageKey } from '../i18n/en';
import { renderStatic } from '../test-support/render';
import { languageChoices, OcrSettingsView } from './OcrSettingsPanel';

const settings = { languages: 'sqi+eng', cyrillicLanguages: 'srp', workers: 2, reviewBelowConfidence: 70 };
const label = (key: MessageKey) => key;

describe('OCR settings', () => {
  it('offers the language sets whose models are installed, and keeps a current setting that is none of them', () => {
    const latin = [
      { languages: 'sqi+eng', label: 'settings.ocr.sqiEng' },
      { languages: 'srp_latn+sqi', label: 'settings.ocr.srpLatnSqi' },
    ] as const;
    expect(languageChoices(latin, ['eng', 'sqi'], 'sqi+eng', label).map((choice) => choice.languages)).toEqual(['sqi+eng']);
    expect(languageChoices(latin, ['eng', 'sqi', 'srp_latn'], 'deu+eng', label)).toEqual([
      { languages: 'deu+eng', label: 'deu+eng' },
      { languages: 'sqi+eng', label: 'settings.ocr.sqiEng' },
      { languages: 'srp_latn+sqi', label: 'settings.ocr.srpLatnSqi' },
    ]);
  });

  it('shows the settings in force, threads up to the cores, and confirms a save', () => {
    const doc = renderStatic(<OcrSettingsView settings={settings} installed={['eng', 'sqi', 'srp']} cores={2} saved onSave={() => undefined} />);
    const selected = (testId: string) => doc.byTestId(testId)[0]?.html.match(/<option[^>]*selected=""[^>]*>([^<]*)</)?.[1];
    expect(selected('ocr-latin-languages')).toBe('Albanian, then English');
    expect(selected('ocr-cyrillic-languages')).toBe('Serbian');
    expect(doc.byTestId('ocr-workers')[0]?.html.match(/<option/g)).toHaveLength(2);
    expect(doc.byTestId('ocr-review-below')[0]?.attributes['value']).toBe('70');
    expect(doc.byTestId('ocr-settings-saved')[0]?.text).toMatch(/Pages from now on/);
  });
});
