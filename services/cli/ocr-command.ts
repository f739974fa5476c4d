import { readFile } from 'node:fs/promises';
import type { OcrResult } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { createOcrEngine, type OcrEngine } from '../ocr/ocr-engine';
import { ocrSettingsFromEnv } from '../ocr/ocr-settings';
import { availableLanguages, parseLanguages } from '../ocr/tessdata';
import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from './command';
import { forEachInOrder } from './in-order';
import { parseCommandArgs } from './cli-args';


export const ocrCommand: Command = {
  name: 'ocr',
  summary: 'Recognise the text in image files',

  help() {
    const installed = availableLanguages();
    const settings = safeSettings();
    return [
      'Usage: arkiva ocr [--lang LANGS] [--json] FILE...',
      '',
      'Recognises the text in each image file (TIFF, PNG, JPEG, WebP, ...) and prints it,',
      'file by file in the order given. Each page is cleaned up first (dark borders cut off,',
      'turned upright, deskewed); a blank page is reported on stderr and prints no text. A file',
      'that fails is reported on stderr; the others are still processed, and the exit code is then 1.',
      '',
      'Options:',
      '  -l, --lang LANGS  Tesseract languages joined by "+", main language first, for every page,',
      '                    e.g. sqi+srp_latn+eng. Default: chosen per page by its script (Cyrillic:',
      `                    ${settings.cyrillicLanguages ?? 'srp'}; Latin: ${settings.languages ?? 'eng'}), as set by ARKIVA_OCR_CYRILLIC_LANGUAGES / ARKIVA_OCR_LANGUAGES`,
      `                    Installed: ${installed.length > 0 ? installed.join(', ') : 'none (apt-get install tesseract-ocr-eng)'}`,
      '      --json        Print one JSON object per file per line:',
      '                    {"file","text","confidence","languages","needsReview","words":[{"text","confidence",',
      '                    "bbox":{"x0","y0","x1","y1"}}],"lines":[...]}, plus "blank", "orientation",',
      '                    "skewDegrees", "scripts" when known (confidence 0..100; boxes in pixels of the image)',
      '  -w, --workers N   OCR threads (default: ARKIVA_OCR_WORKERS, else the cores, at most 4)',
      '  -h, --help        Show this help',
      '',
    ].join('\n');
  },

  async run(args, io) {
    const { values, positionals: files } = parseOcrArgs(args);
    if (files.length === 0) throw new UsageError('no image files given');
    const languages = values.lang;
    let settings: ReturnType<typeof ocrSettingsFromEnv>;
    try {
      if (languages !== undefined) parseLanguages(languages);
      settings = ocrSettingsFromEnv();
      if (values.workers !== undefined) {
        settings.workers = ocrSettingsFromEnv({ ARKIVA_OCR_WORKERS: values.workers }).workers;
      }
    } catch (error) {
      throw new UsageError(messageOf(error));
    }

    const workers = Math.min(files.length, settings.workers);
    let engine: OcrEngine;
    try {
      // With --lang, those languages are the engine's default and every page uses them.
      engine = await createOcrEngine({ ...settings, ...(languages ? { languages } : {}), workers });
    } catch (error) {
      io.stderr(`arkiva ocr: ${messageOf(error)}\n`);
      return EXIT.failed;
    }

    let exitCode: ExitCode = EXIT.ok;
    const print = values.json ? printJson : printText(files.length > 1);
    try {
      // One more file than threads in flight, so a thread never waits for a file to be read.
      const recognizeOptions = languages ? { languages } : {};
      await forEachInOrder(files, workers + 1, async (file) => engine.recognize(await readFile(file), recognizeOptions), (file, outcome) => {
        if (outcome.status === 'fulfilled') {
          if (outcome.value.blank) io.stderr(`arkiva ocr: ${file}: blank page (${outcome.value.blankReason ?? 'no text'})\n`);
          print(io, file, outcome.value);
        } else {
          exitCode = EXIT.failed;
          io.stderr(`arkiva ocr: ${file}: ${messageOf(outcome.reason)}\n`);
        }
      });
    } finally {
      await engine.close();
    }
    return exitCode;
  },
};

/** For the help text: the settings, or the defaults when the environment holds a bad one (reported when OCR runs). */
function safeSettings() {
  try {
    return ocrSettingsFromEnv();
  } catch {
    return ocrSettingsFromEnv({});
  }
}

function parseOcrArgs(args: string[]) {
  return parseCommandArgs(args, {
    lang: { type: 'string', short: 'l' },
    json: { type: 'boolean' },
    workers: { type: 'string', short: 'w' },
  });
}

function printJson(io: CliIo, file: string, result: OcrResult): void {
  const box = ({ x0, y0, x1, y1 }: { x0: number; y0: number; x1: number; y1: number }) => ({ x0, y0, x1, y1 });
  const line = {
    file,
    text: result.text,
    confidence: result.confidence,
    languages: result.languages,
    needsReview: result.needsReview ?? false,
    words: result.words.map(({ text, confidence, bbox }) => ({ text, confidence, bbox: box(bbox) })),
    lines: (result.lines ?? []).map(({ text, confidence, bbox }) => ({ text, confidence, bbox: box(bbox) })),
    ...(result.blank ? { blank: true, blankReason: result.blankReason } : {}),
    ...(result.orientation === undefined ? {} : { orientation: result.orientation }),
    ...(result.skewDegrees === undefined ? {} : { skewDegrees: result.skewDegrees }),
    ...(result.scripts ? { scripts: result.scripts } : {}),
  };
  io.stdout(`${JSON.stringify(line)}\n`);
}

/** With several files, each text gets a `==> FILE <==` heading, as head(1) and tail(1) do. */
function printText(withHeadings: boolean) {
  let first = true;
  return (io: CliIo, file: string, result: OcrResult): void => {
    if (withHeadings) io.stdout(`${first ? '' : '\n'}==> ${file} <==\n`);
    first = false;
    const text = result.text.trimEnd();
    if (text) io.stdout(`${text}\n`);
  };
}

function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (isSystemError(error)) {
    const known: Record<string, string> = {
      ENOENT: 'no such file',
      EISDIR: 'is a folder, not a file',
      EACCES: 'permission denied',
    };
    return known[error.code] ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string';
}
