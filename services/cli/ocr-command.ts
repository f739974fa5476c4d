import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { OcrResult } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { createOcrEngine, defaultWorkerCount, type OcrEngine } from '../ocr/ocr-engine';
import { availableLanguages, parseLanguages } from '../ocr/tessdata';
import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from './command';
import { forEachInOrder } from './in-order';

const DEFAULT_LANGUAGES = 'eng';

export const ocrCommand: Command = {
  name: 'ocr',
  summary: 'Recognise the text in image files',

  help() {
    const installed = availableLanguages();
    return [
      'Usage: arkiva ocr [--lang LANGS] [--json] FILE...',
      '',
      'Recognises the text in each image file (TIFF, PNG, JPEG, WebP, ...) and prints it,',
      'file by file in the order given. A file that fails is reported on stderr; the others',
      'are still processed, and the exit code is then 1.',
      '',
      'Options:',
      `  -l, --lang LANGS  Tesseract languages joined by "+", main language first (default: ${DEFAULT_LANGUAGES}),`,
      '                    e.g. sqi+srp_latn+eng',
      `                    Installed: ${installed.length > 0 ? installed.join(', ') : 'none (apt-get install tesseract-ocr-eng)'}`,
      '      --json        Print one JSON object per file per line:',
      '                    {"file","text","confidence","words":[{"text","confidence","bbox":{"x0","y0","x1","y1"}}]}',
      '                    (confidence 0..100; boxes in pixels of the image)',
      '  -h, --help        Show this help',
      '',
    ].join('\n');
  },

  async run(args, io) {
    const { values, positionals: files } = parseOcrArgs(args);
    if (values.help) {
      io.stdout(this.help());
      return EXIT.ok;
    }
    if (files.length === 0) throw new UsageError('no image files given');
    const languages = values.lang ?? DEFAULT_LANGUAGES;
    try {
      parseLanguages(languages);
    } catch (error) {
      throw new UsageError(messageOf(error));
    }

    const workers = Math.min(files.length, defaultWorkerCount());
    let engine: OcrEngine;
    try {
      engine = await createOcrEngine({ languages, workers });
    } catch (error) {
      io.stderr(`arkiva ocr: ${messageOf(error)}\n`);
      return EXIT.failed;
    }

    let exitCode: ExitCode = EXIT.ok;
    const print = values.json ? printJson : printText(files.length > 1);
    try {
      // One more file than threads in flight, so a thread never waits for a file to be read.
      await forEachInOrder(files, workers + 1, async (file) => engine.recognize(await readFile(file)), (file, outcome) => {
        if (outcome.status === 'fulfilled') {
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

function parseOcrArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        lang: { type: 'string', short: 'l' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}

function printJson(io: CliIo, file: string, result: OcrResult): void {
  const line = {
    file,
    text: result.text,
    confidence: result.confidence,
    words: result.words.map(({ text, confidence, bbox }) => ({
      text,
      confidence,
      bbox: { x0: bbox.x0, y0: bbox.y0, x1: bbox.x1, y1: bbox.y1 },
    })),
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
