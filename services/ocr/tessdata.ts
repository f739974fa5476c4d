import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../common/api/errors';

/** Where Debian and Ubuntu put `tesseract-ocr-<lang>` models, newest layout first. */
export const SYSTEM_TESSDATA_DIRS = ['/usr/share/tesseract-ocr/5/tessdata', '/usr/share/tesseract-ocr/4.00/tessdata'];

/**
 * Set by the Electron main process of a packaged app to the `tessdata` folder among its resources
 * (electron-builder's `extraResources`); services cannot ask Electron where that is.
 */
export const PACKAGED_TESSDATA_ENV = 'ARKIVA_PACKAGED_TESSDATA';
/** That folder's name under the packaged app's resources. */
export const PACKAGED_TESSDATA_FOLDER = 'tessdata';

/**
 * The smallest tessdata_fast model is well over this; anything below is an empty file, an HTML
 * error page or a Git LFS pointer, all of which make tesseract.js fail in ways that are hard to read.
 */
export const MIN_MODEL_BYTES = 64 * 1024;

/** `osd` detects orientation and script; it cannot be used to recognise text. */
const NOT_RECOGNITION_MODELS = new Set(['osd']);

const MODEL_SUFFIX = '.traineddata';

/** A Tesseract language code such as `eng` or `srp_latn`: never a path. */
const LANGUAGE_CODE = /^[a-z][a-z0-9_]*$/i;

/**
 * The folder of `.traineddata` models: `ARKIVA_TESSDATA` if set (it is then the only candidate,
 * so a mistyped setting is reported rather than silently bypassed), else the packaged app's own
 * models, else the system folders.
 */
export function findTessdataDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.ARKIVA_TESSDATA?.trim();
  if (configured) {
    if (!isDirectory(configured)) {
      throw new ApiError('unavailable', `ARKIVA_TESSDATA is set to ${configured}, which is not a folder of OCR language data.`);
    }
    return configured;
  }
  const packaged = env[PACKAGED_TESSDATA_ENV]?.trim();
  const candidates = packaged ? [packaged, ...SYSTEM_TESSDATA_DIRS] : SYSTEM_TESSDATA_DIRS;
  const found = candidates.find(isDirectory);
  if (!found) {
    throw new ApiError(
      'unavailable',
      `No OCR language data found (looked in ${candidates.join(', ')}). ` +
        'Install it with `apt-get install tesseract-ocr-eng` (and tesseract-ocr-sqi, -srp, -srp-latn), ' +
        'or set ARKIVA_TESSDATA to a folder of .traineddata files.',
    );
  }
  return found;
}

/** Languages with a usable model in `dir`, sorted; empty if there is no language data at all. */
export function availableLanguages(dir?: string): string[] {
  let folder: string;
  try {
    folder = dir ?? findTessdataDir();
  } catch {
    return [];
  }
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(MODEL_SUFFIX))
    .map((name) => name.slice(0, -MODEL_SUFFIX.length))
    .filter((code) => LANGUAGE_CODE.test(code) && !NOT_RECOGNITION_MODELS.has(code))
    .filter((code) => modelProblem(folder, code) === undefined)
    .sort();
}

/**
 * Splits a Tesseract language string (`srp_latn+sqi+eng`; the first is the primary language)
 * into codes, and checks that each has a usable model in `dir`.
 */
export function requireLanguages(dir: string, languages: string): string[] {
  const codes = parseLanguages(languages);
  const problems = codes.flatMap((code) => {
    const problem = modelProblem(dir, code);
    return problem ? [problem] : [];
  });
  if (problems.length > 0) {
    throw new ApiError('unavailable', problems.join(' '), { tessdataDir: dir, languages: codes });
  }
  return codes;
}

export function parseLanguages(languages: string): string[] {
  const codes = languages.split('+');
  const invalid = codes.filter((code) => !LANGUAGE_CODE.test(code) || NOT_RECOGNITION_MODELS.has(code));
  if (codes.length === 0 || invalid.length > 0) {
    throw new ApiError(
      'bad-request',
      `Invalid OCR language string "${languages}": expected Tesseract language codes joined by "+", e.g. "sqi+eng".`,
    );
  }
  return codes;
}

/** True when `dir` holds a plausible model for `code` (including `osd`, which requireLanguages refuses). */
export function modelUsable(dir: string, code: string): boolean {
  return LANGUAGE_CODE.test(code) && modelProblem(dir, code) === undefined;
}

function modelProblem(dir: string, code: string): string | undefined {
  const file = path.join(dir, `${code}${MODEL_SUFFIX}`);
  const install = `Install it with \`apt-get install ${debianPackage(code)}\`, or put ${code}${MODEL_SUFFIX} in ${dir}.`;
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return `The OCR model for language "${code}" (${file}) is not a file. ${install}`;
    size = stat.size;
  } catch {
    return `No OCR model for language "${code}" (missing ${file}). ${install}`;
  }
  if (size < MIN_MODEL_BYTES) {
    return `The OCR model for language "${code}" (${file}) is only ${size} bytes, so it is damaged or incomplete. ${install}`;
  }
  return undefined;
}

/** Debian names these packages with hyphens: srp_latn ships as tesseract-ocr-srp-latn. */
function debianPackage(code: string): string {
  return `tesseract-ocr-${code.toLowerCase().replaceAll('_', '-')}`;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
