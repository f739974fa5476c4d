import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ocrSettingsSchema, type OcrSettings } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { writeFileAtomic } from '../archive/atomic-write';

/**
 * The OCR settings a clerk or administrator saved for this workstation, in
 * `<archive>/settings/ocr.json`. Until something is saved, the defaults (from the environment,
 * see ocr-settings.ts) apply; once saved, the file wins, so what the settings screen shows is
 * what runs. A damaged file is reported and the defaults used, never silently rewritten.
 */
export class OcrSettingsStore {
  #current: OcrSettings;

  private constructor(
    private readonly file: string,
    current: OcrSettings,
    private readonly installedLanguages: () => readonly string[],
  ) {
    this.#current = current;
  }

  static async open(file: string, defaults: OcrSettings, installedLanguages: () => readonly string[]): Promise<OcrSettingsStore> {
    let saved: unknown;
    try {
      saved = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        console.error(`OCR settings in ${file} cannot be read (${error instanceof Error ? error.message : String(error)}); using the defaults.`);
      }
      return new OcrSettingsStore(file, defaults, installedLanguages);
    }
    const parsed = ocrSettingsSchema.partial().safeParse(saved);
    if (!parsed.success) {
      console.error(`OCR settings in ${file} are not valid (${parsed.error.issues.map((issue) => issue.message).join('; ')}); using the defaults.`);
      return new OcrSettingsStore(file, defaults, installedLanguages);
    }
    return new OcrSettingsStore(file, { ...defaults, ...definedOnly(parsed.data) }, installedLanguages);
  }

  get current(): OcrSettings {
    return this.#current;
  }

  /** Saves the change (atomically) and returns the settings now in force. */
  async update(change: Change): Promise<OcrSettings> {
    const next = ocrSettingsSchema.parse({ ...this.#current, ...definedOnly(change) });
    const installed = this.installedLanguages();
    for (const languages of [next.languages, next.cyrillicLanguages]) {
      const missing = languages.split('+').filter((code) => !installed.includes(code));
      if (missing.length > 0) {
        throw new ApiError('unavailable', `No OCR model for ${missing.join(', ')} on this workstation; installed: ${installed.join(', ') || 'none'}.`);
      }
    }
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.#current = next;
    return next;
  }
}

/** A change as zod parses it may carry `undefined` for what it leaves alone. */
type Change = { [K in keyof OcrSettings]?: OcrSettings[K] | undefined };

function definedOnly(change: Change): Partial<OcrSettings> {
  const defined: Partial<OcrSettings> = {};
  if (change.languages !== undefined) defined.languages = change.languages;
  if (change.cyrillicLanguages !== undefined) defined.cyrillicLanguages = change.cyrillicLanguages;
  if (change.workers !== undefined) defined.workers = change.workers;
  if (change.reviewBelowConfidence !== undefined) defined.reviewBelowConfidence = change.reviewBelowConfidence;
  return defined;
}
