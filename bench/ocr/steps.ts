/**
 * What each step of our OCR path costs and buys, in CPU seconds per page (which, unlike wall
 * time, barely moves when other people load the machine) and CER, one thread, pages one at a
 * time, against native Tesseract's CPU seconds on the same pages. Used for bench/ocr/README.md.
 *
 *   npx tsx bench/ocr/steps.ts [--pages 6] [--dir /tmp/arkiva-bench-ocr]
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { editDistance } from '../../services/ocr/character-error-rate';
import { createOcrEngine, type OcrEngineOptions } from '../../services/ocr/ocr-engine';
import { findTessdataDir } from '../../services/ocr/tessdata';
import { generatePages } from './generate-pages';
import { runNativeTesseract } from './native-tesseract';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '6' },
    dir: { type: 'string', default: path.join(tmpdir(), 'arkiva-bench-ocr') },
  },
});
const count = Number(values.pages);
const tessdataDir = findTessdataDir();
const pages = await generatePages(path.join(values.dir, `steps-${count}`), count);

const cer = (texts: string[]) => {
  let edits = 0;
  let chars = 0;
  pages.forEach((page, index) => {
    const truth = page.truth.trim().replace(/\s+/gu, ' ');
    edits += editDistance((texts[index] ?? '').trim().replace(/\s+/gu, ' '), truth);
    chars += truth.length;
  });
  return edits / chars;
};

const report = (name: string, cpuSeconds: number, texts: string[]) =>
  process.stdout.write(`${name.padEnd(58)} ${(cpuSeconds / pages.length).toFixed(2)} cpu-s/page  CER ${(cer(texts) * 100).toFixed(2)}%\n`);

{
  let cpu = 0;
  const texts: string[] = [];
  for (const page of pages) {
    const run = await runNativeTesseract(page.file, page.language, tessdataDir);
    cpu += run.cpuSeconds ?? Number.NaN;
    texts.push(run.text);
  }
  report('native tesseract 5.3, page language, OMP_THREAD_LIMIT=1', cpu, texts);
}

const variants: [string, OcrEngineOptions][] = [
  ['tesseract.js, decoded page as is (foundation)', { detectOrientation: false, cleanup: { enabled: false } }],
  ['+ clean-up (crop, deskew, levels), no despeckle', { detectOrientation: false, cleanup: { despeckle: false } }],
  ['+ despeckle (3x3 median)', { detectOrientation: false }],
  ['+ OSD (orientation, script → models)', {}],
  ['+ 200 dpi (line pitch >= 40 px)', { cleanup: { targetDpi: 200 } }],
  ['+ 150 dpi (line pitch >= 30 px)', { cleanup: { targetDpi: 150, minLinePitchPx: 30 } }],
];

for (const [name, options] of variants) {
  const engine = await createOcrEngine({ languages: 'eng+sqi', cyrillicLanguages: 'srp', workers: 1, ...options });
  const texts: string[] = [];
  const before = process.cpuUsage();
  for (const page of pages) {
    // Without OSD nothing tells the script: each page gets its true language, as native does.
    const languages = options.detectOrientation === false ? { languages: page.language === 'srp' ? 'srp' : 'eng+sqi' } : {};
    texts.push((await engine.recognize(readFileSync(page.file), languages)).text);
  }
  const used = process.cpuUsage(before);
  await engine.close();
  report(name, (used.user + used.system) / 1e6, texts);
}
