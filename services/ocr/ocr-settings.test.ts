import { describe, expect, it } from 'vitest';
import { defaultWorkerCount } from './ocr-engine';
import { defaultOcrSettings, ocrSettingsFromEnv } from './ocr-settings';

describe('ocrSettingsFromEnv', () => {
  it('defaults to a thread per core and leaves languages to the engine', () => {
    expect(ocrSettingsFromEnv({})).toEqual({ workers: defaultWorkerCount() });
  });

  it('reads languages per script, workers and the review threshold', () => {
    expect(
      ocrSettingsFromEnv({
        ARKIVA_OCR_LANGUAGES: 'eng+sqi',
        ARKIVA_OCR_CYRILLIC_LANGUAGES: 'srp',
        ARKIVA_OCR_WORKERS: '3',
        ARKIVA_OCR_REVIEW_BELOW: '60',
      }),
    ).toEqual({ languages: 'eng+sqi', cyrillicLanguages: 'srp', workers: 3, reviewBelowConfidence: 60 });
  });

  it('refuses a bad setting by name instead of starting with a guess', () => {
    expect(() => ocrSettingsFromEnv({ ARKIVA_OCR_WORKERS: 'two' })).toThrow(/ARKIVA_OCR_WORKERS must be a whole number from 1 to 16, not "two"/);
    expect(() => ocrSettingsFromEnv({ ARKIVA_OCR_WORKERS: '0' })).toThrow(/ARKIVA_OCR_WORKERS/);
    expect(() => ocrSettingsFromEnv({ ARKIVA_OCR_REVIEW_BELOW: '101' })).toThrow(/ARKIVA_OCR_REVIEW_BELOW/);
    expect(() => ocrSettingsFromEnv({ ARKIVA_OCR_LANGUAGES: 'eng+../x' })).toThrow(/ARKIVA_OCR_LANGUAGES: Invalid OCR language string/);
  });
});

describe('defaultOcrSettings', () => {
  it('makes the engine defaults explicit: English for Latin pages, Serbian for Cyrillic ones when installed, review below 70', () => {
    expect(defaultOcrSettings({ workers: 2 }, undefined, ['eng', 'srp'])).toEqual({ languages: 'eng', cyrillicLanguages: 'srp', workers: 2, reviewBelowConfidence: 70 });
    expect(defaultOcrSettings({ workers: 1, languages: 'sqi+eng' }, undefined, ['eng', 'sqi'])).toMatchObject({ cyrillicLanguages: 'sqi+eng' });
    expect(defaultOcrSettings({ workers: 1, languages: 'sqi+eng' }, 'eng', ['eng'])).toMatchObject({ languages: 'eng' });
  });
});
