/**
 * OCR benchmark: our engine (tesseract.js worker pool with page clean-up) against native
 * Tesseract 5 (Debian's CLI, one single-threaded process per core), on the same generated
 * 300-dpi pages and the same model files. See bench/ocr/README.md.
 *
 *   npm run bench:ocr                      # 24 pages, 2 alternating rounds
 *   npm run bench:ocr -- --pages 1000      # also checks that memory stays flat over 1,000 pages
 *   npm run bench:ocr -- --rounds 3 --workers 2 --latin sqi --target-dpi 300 --no-osd
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { characterErrorRate, editDistance } from '../../services/ocr/character-error-rate';
import { createOcrEngine, type OcrEngine } from '../../services/ocr/ocr-engine';
import { DEFAULT_MIN_LINE_PITCH_PX, DEFAULT_TARGET_DPI } from '../../services/ocr/page-cleanup';
import { findTessdataDir } from '../../services/ocr/tessdata';
import type { BenchLanguage } from './corpus';
import { generatePages, type BenchPage } from './generate-pages';
import { mapConcurrent, runNativeTesseract } from './native-tesseract';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '24' },
    rounds: { type: 'string', default: '2' },
    workers: { type: 'string' },
    /** Languages our engine uses for Latin-script pages (Cyrillic ones get `srp`). */
    latin: { type: 'string', default: 'eng+sqi' },
    'target-dpi': { type: 'string', default: String(DEFAULT_TARGET_DPI) },
    'min-line-pitch': { type: 'string', default: String(DEFAULT_MIN_LINE_PITCH_PX) },
    'no-osd': { type: 'boolean', default: false },
    dir: { type: 'string', default: path.join(tmpdir(), 'arkiva-bench-ocr') },
  },
});

/** Pages measured in the timed rounds; a longer --pages run cycles through them for the memory check. */
const MAX_DISTINCT_PAGES = 48;
const GENERATOR_VERSION = 'v2';

const totalPages = positive('pages');
const rounds = positive('rounds');
const cores = availableParallelism();
const workers = values.workers ? positive('workers') : cores;
const tessdataDir = findTessdataDir();

/** What native Tesseract is told: the page's true language (it cannot detect the script itself). */
const NATIVE_LANGUAGE: Record<BenchLanguage, string> = { eng: 'eng', sqi: 'sqi', srp: 'srp' };

function positive(name: 'pages' | 'rounds' | 'workers'): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

async function loadOrGeneratePages(count: number): Promise<BenchPage[]> {
  const dir = path.join(values.dir, `${GENERATOR_VERSION}-${count}`);
  if (existsSync(dir) && readdirSync(dir).filter((name) => name.endsWith('.txt')).length === count) {
    return readdirSync(dir)
      .filter((name) => /\.(png|tif)$/.test(name))
      .sort()
      .map((name) => {
        const file = path.join(dir, name);
        const language = (/-(eng|sqi|srp)\./.exec(name)?.[1] ?? 'eng') as BenchLanguage;
        return { file, language, truth: readFileSync(file.replace(/\.\w+$/, '.txt'), 'utf8'), skewDegrees: Number.NaN };
      });
  }
  const started = Date.now();
  const pages = await generatePages(dir, count);
  log(`generated ${count} pages in ${dir} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return pages;
}

interface Measured {
  seconds: number;
  ppm: number;
  /** CPU seconds per page: barely moved by other load on the machine, unlike wall time. */
  cpuPerPage: number;
  cer: number;
  /** Per language, total edits / total characters. */
  cerByLanguage: Record<string, number>;
}

function score(pages: BenchPage[], texts: string[], seconds: number, cpuSeconds: number): Measured {
  const edits: Record<string, { edits: number; chars: number }> = {};
  let allEdits = 0;
  let allChars = 0;
  pages.forEach((page, index) => {
    const truth = page.truth.trim().replace(/\s+/gu, ' ');
    const text = (texts[index] ?? '').trim().replace(/\s+/gu, ' ');
    const distance = editDistance(text, truth);
    const entry = (edits[page.language] ??= { edits: 0, chars: 0 });
    entry.edits += distance;
    entry.chars += truth.length;
    allEdits += distance;
    allChars += truth.length;
  });
  const cerByLanguage = Object.fromEntries(Object.entries(edits).map(([language, e]) => [language, e.edits / e.chars]));
  return { seconds, ppm: (pages.length / seconds) * 60, cpuPerPage: cpuSeconds / pages.length, cer: allEdits / allChars, cerByLanguage };
}

async function measureNative(pages: BenchPage[]): Promise<Measured> {
  const started = performance.now();
  const runs = await mapConcurrent(pages, cores, (page) => runNativeTesseract(page.file, NATIVE_LANGUAGE[page.language], tessdataDir));
  const cpu = runs.reduce((sum, run) => sum + (run.cpuSeconds ?? Number.NaN), 0);
  return score(pages, runs.map((run) => run.text), (performance.now() - started) / 1000, cpu);
}

/** From raw page file to result: reading the file is part of both measurements. */
async function measureOurs(engine: OcrEngine, pages: BenchPage[]): Promise<Measured> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  // Two pages more in flight than threads: one being cleaned up while the threads recognise.
  const texts = await mapConcurrent(pages, workers + 2, async (page) => (await engine.recognize(readFileSync(page.file))).text);
  const cpu = process.cpuUsage(cpuBefore);
  return score(pages, texts, (performance.now() - started) / 1000, (cpu.user + cpu.system) / 1e6);
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

const fmt = (value: number, digits = 2) => value.toFixed(digits);
const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

async function main(): Promise<void> {
  const pages = await loadOrGeneratePages(Math.min(totalPages, MAX_DISTINCT_PAGES));
  log(`pages: ${pages.length} distinct (eng/sqi/srp), 300 dpi A4, skewed ±1.5°, noise; cores ${cores}; our workers ${workers}`);
  log(`native: tesseract (${tessdataDir}), ${cores} processes, OMP_THREAD_LIMIT=1, told each page's language`);
  log(`ours: tesseract.js pool, Latin pages "${values.latin}", Cyrillic "srp" by OSD script detection${values['no-osd'] ? ' (OSD off: Latin only)' : ''}`);

  const engineStart = performance.now();
  const engine = await createOcrEngine({
    languages: values.latin,
    cyrillicLanguages: 'srp',
    workers,
    tessdataDir,
    detectOrientation: !values['no-osd'],
    cleanup: { targetDpi: Number(values['target-dpi']), minLinePitchPx: Number(values['min-line-pitch']) },
  });
  log(`ours: engine warm in ${fmt((performance.now() - engineStart) / 1000)} s (not counted)`);

  const native: Measured[] = [];
  const ours: Measured[] = [];
  try {
    // Alternating which goes first, so that load from others on this shared machine falls on both.
    for (let round = 1; round <= rounds; round += 1) {
      const order = round % 2 === 1 ? (['native', 'ours'] as const) : (['ours', 'native'] as const);
      for (const who of order) {
        const result = who === 'native' ? await measureNative(pages) : await measureOurs(engine, pages);
        (who === 'native' ? native : ours).push(result);
        const byLanguage = Object.entries(result.cerByLanguage)
          .map(([language, cer]) => `${language} ${pct(cer)}`)
          .join(', ');
        log(
          `round ${round} ${who.padEnd(6)} ${fmt(result.seconds, 1)} s  ${fmt(result.ppm)} pages/min  ` +
            `${fmt(result.cpuPerPage)} cpu-s/page  CER ${pct(result.cer)} (${byLanguage})`,
        );
      }
    }

    const ratios = ours.map((result, index) => result.ppm / (native[index]?.ppm ?? Number.NaN));
    log(`ratio per round: ${ratios.map((ratio) => fmt(ratio)).join(', ')} (spread ${fmt(Math.min(...ratios))}..${fmt(Math.max(...ratios))})`);
    log(`native pages/min: ${native.map((m) => fmt(m.ppm)).join(', ')}; ours: ${ours.map((m) => fmt(m.ppm)).join(', ')}`);
    // With every core busy, pages/min is cores / cpu-s per page: this ratio is what a quiet machine would show.
    const cpuRatio = median(native.map((m) => m.cpuPerPage)) / median(ours.map((m) => m.cpuPerPage));
    log(`CPU per page: native ${native.map((m) => fmt(m.cpuPerPage)).join(', ')} s; ours ${ours.map((m) => fmt(m.cpuPerPage)).join(', ')} s; native/ours ${fmt(cpuRatio, 3)} (the ratio on an otherwise idle machine, all cores busy)`);

    if (totalPages > pages.length) await memoryRun(engine, pages);

    const oursPpm = median(ours.map((m) => m.ppm));
    const nativePpm = median(native.map((m) => m.ppm));
    const cerOurs = median(ours.map((m) => m.cer));
    const cerNative = median(native.map((m) => m.cer));
    log(`peak RSS of this process (engine, ${workers} workers + OSD thread): ${fmt(peakRss / 2 ** 20, 0)} MB`);
    log(
      `ocr: ours_ppm=${fmt(oursPpm)} native_ppm=${fmt(nativePpm)} ratio=${fmt(oursPpm / nativePpm, 3)} ` +
        `cer_ours=${fmt(cerOurs, 4)} cer_native=${fmt(cerNative, 4)} rss_mb=${fmt(peakRss / 2 ** 20, 0)}`,
    );
  } finally {
    clearInterval(sampler);
    await engine.close();
  }
}

/** RSS after the first 50 pages against after all of them: recycling must keep it within 20%. */
async function memoryRun(engine: OcrEngine, pages: BenchPage[]): Promise<void> {
  log(`memory: ${totalPages} pages through one engine (cycling the ${pages.length} distinct pages)`);
  const cycled = Array.from({ length: totalPages }, (_, index) => pages[index % pages.length] as BenchPage);
  let done = 0;
  let rssAt50 = 0;
  const started = performance.now();
  let errors = 0;
  await mapConcurrent(cycled, workers + 2, async (page) => {
    const result = await engine.recognize(readFileSync(page.file));
    if (characterErrorRate(result.text, page.truth) > 0.2) errors += 1;
    done += 1;
    if (done === 50) rssAt50 = process.memoryUsage().rss;
    if (done % 100 === 0) log(`memory: ${done} pages, RSS ${fmt(process.memoryUsage().rss / 2 ** 20, 0)} MB`);
  });
  const rssEnd = process.memoryUsage().rss;
  const growth = rssEnd / rssAt50 - 1;
  log(
    `memory: RSS after 50 pages ${fmt(rssAt50 / 2 ** 20, 0)} MB, after ${totalPages} ${fmt(rssEnd / 2 ** 20, 0)} MB ` +
      `(${growth >= 0 ? '+' : ''}${pct(growth)}; limit +20%: ${growth <= 0.2 ? 'PASS' : 'FAIL'}); ` +
      `${fmt((totalPages / ((performance.now() - started) / 1000)) * 60)} pages/min; pages with CER > 20%: ${errors}`,
  );
}

await main();
