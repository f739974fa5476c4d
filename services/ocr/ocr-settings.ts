import type { OcrSettings } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { defaultWorkerCount, type OcrEngineOptions } from './ocr-engine';
import { availableLanguages, parseLanguages } from './tessdata';

/**
 * The workstation's default OCR settings, from the environment; what is saved on the settings
 * screen (ocr-settings-store.ts) takes precedence:
 *
 * - `ARKIVA_OCR_LANGUAGES`: languages for Latin-script pages, main one first (default `eng`;
 *   an Albanian archive sets `sqi+eng` or `eng+sqi`, see bench/ocr/README.md).
 * - `ARKIVA_OCR_CYRILLIC_LANGUAGES`: for pages OSD finds to be Cyrillic (default `srp`).
 * - `ARKIVA_OCR_WORKERS`: OCR threads (default: the cores, at most 4).
 * - `ARKIVA_OCR_REVIEW_BELOW`: pages with a lower mean confidence (0-100) are flagged for review (default 70).
 */
export function ocrSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OcrEngineOptions & { workers: number } {
  const settings: OcrEngineOptions & { workers: number } = { workers: defaultWorkerCount() };
  const languages = env.ARKIVA_OCR_LANGUAGES?.trim();
  if (languages) settings.languages = checkedLanguages('ARKIVA_OCR_LANGUAGES', languages);
  const cyrillic = env.ARKIVA_OCR_CYRILLIC_LANGUAGES?.trim();
  if (cyrillic) settings.cyrillicLanguages = checkedLanguages('ARKIVA_OCR_CYRILLIC_LANGUAGES', cyrillic);
  const workers = env.ARKIVA_OCR_WORKERS?.trim();
  if (workers) settings.workers = integerIn('ARKIVA_OCR_WORKERS', workers, 1, 16);
  const reviewBelow = env.ARKIVA_OCR_REVIEW_BELOW?.trim();
  if (reviewBelow) settings.reviewBelowConfidence = integerIn('ARKIVA_OCR_REVIEW_BELOW', reviewBelow, 0, 100);
  return settings;
}

function checkedLanguages(name: string, value: string): string {
  try {
    parseLanguages(value);
  } catch (error) {
    throw new ApiError('bad-request', `${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return value;
}

function integerIn(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new ApiError('bad-request', `${name} must be a whole number from ${min} to ${max}, not "${value}".`);
  }
  return number;
}

/**
 * Every setting with a value, for the settings screen: the engine's own defaults made explicit
 * (Latin pages in English, Cyrillic ones in Serbian when its model is installed, review below 70).
 */
export function defaultOcrSettings(
  fromEnv: OcrEngineOptions & { workers: number },
  languagesOverride?: string,
  installed: readonly string[] = availableLanguages(),
): OcrSettings {
  const languages = languagesOverride ?? fromEnv.languages ?? 'eng';
  return {
    languages,
    cyrillicLanguages: fromEnv.cyrillicLanguages ?? (installed.includes('srp') ? 'srp' : languages),
    workers: fromEnv.workers,
    reviewBelowConfidence: fromEnv.reviewBelowConfidence ?? 70,
  };
}
