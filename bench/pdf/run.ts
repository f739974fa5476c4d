/**
 * PDF benchmark: building the searchable PDF/A-2b of a 100-page document against OCR of the
 * same 100 pages, both measured in this run on this machine. Target: PDF < 0.1 x OCR.
 *
 *   npm run bench:pdf                    # 100 pages
 *   npm run bench:pdf -- --pages 30      # quicker
 *
 * Pages: the OCR benchmark's generated A4 pages at 300 dpi (dense text, skew, scanner noise),
 * stored the way scanners deliver them, in turn: colour JPEG (tinted paper), 8-bit gray PNG,
 * black-and-white TIFF (CCITT G4). OCR: the app's engine (services/ocr, 2 worker threads),
 * every page recognised once, wall time. PDF: the app's export path (documentPdf): every
 * original re-hashed, images re-encoded (JPEG passes through), text layer from the OCR results.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { OcrResult } from '../../common/api/contract';
import { documentPdf } from '../../services/documents/document-pdf';
import { openSampleArchive } from '../../services/documents/sample-archive';
import { createOcrEngine, defaultWorkerCount } from '../../services/ocr/ocr-engine';
import { mapConcurrent } from '../ocr/native-tesseract';
import { generatePages } from '../ocr/generate-pages';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '100' }, dir: { type: 'string', default: path.join(tmpdir(), 'arkiva-bench-pdf') } } });
const count = Number(values.pages);
if (!Number.isInteger(count) || count < 1) throw new Error('--pages must be a positive integer');
const log = (line: string) => console.log(`bench:pdf  ${line}`);
const fmt = (n: number, digits = 2) => n.toFixed(digits);

log(`generating ${count} A4 pages at 300 dpi (cached in ${values.dir})...`);
const generated = await generatePages(path.join(values.dir, `pages-${count}`), count, 7);

/** As a scanner would deliver page `index`: colour JPEG, gray PNG, or 1-bit G4 TIFF in turn. */
async function asScanned(file: string, index: number): Promise<{ data: Buffer; mimeType: string; kind: string }> {
  const gray = sharp(readFileSync(file));
  switch (index % 3) {
    case 0:
      return {
        data: await gray.toColourspace('srgb').tint({ r: 250, g: 240, b: 215 }).jpeg({ quality: 85 }).withMetadata({ density: 300 }).toBuffer(),
        mimeType: 'image/jpeg',
        kind: 'colour',
      };
    case 1:
      return { data: await gray.png().withMetadata({ density: 300 }).toBuffer(), mimeType: 'image/png', kind: 'gray' };
    default:
      return {
        data: await gray.threshold(150).toColourspace('b-w').tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 300 / 25.4, yres: 300 / 25.4 }).toBuffer(),
        mimeType: 'image/tiff',
        kind: 'bilevel',
      };
  }
}

const scans = await Promise.all(generated.map((page, index) => asScanned(page.file, index)));
const imageBytes = scans.reduce((sum, scan) => sum + scan.data.length, 0);
log(`pages: ${scans.filter((s) => s.kind === 'colour').length} colour JPEG, ${scans.filter((s) => s.kind === 'gray').length} gray PNG, ${scans.filter((s) => s.kind === 'bilevel').length} bilevel G4 TIFF; originals ${fmt(imageBytes / 1048576, 1)} MB`);

// --- OCR of every page, with the app's engine ---
const workers = defaultWorkerCount();
const engine = await createOcrEngine({ languages: 'eng+sqi', workers });
let ocrSeconds: number;
const results: OcrResult[] = [];
try {
  const started = performance.now();
  const recognised = await mapConcurrent(scans, workers + 2, (scan) => engine.recognize(scan.data));
  ocrSeconds = (performance.now() - started) / 1000;
  results.push(...recognised);
} finally {
  await engine.close();
}
const words = results.reduce((sum, result) => sum + result.words.length, 0);
log(`OCR: ${fmt(ocrSeconds, 1)} s for ${count} pages (${fmt(ocrSeconds / count)} s/page, ${workers} workers), ${words} words`);

// --- the PDF, through the archive as `arkiva pdf` builds it ---
const root = mkdtempSync(path.join(tmpdir(), 'arkiva-bench-pdf-archive-'));
try {
  const byImage = new Map(scans.map((scan, index) => [scan.data, results[index] as OcrResult]));
  const sample = await openSampleArchive(root, (image) => {
    const result = byImage.get(image) ?? [...byImage.entries()].find(([data]) => data.equals(image))?.[1];
    if (!result) throw new Error('no recorded OCR for a page');
    return result;
  });
  const pages = [];
  for (const [index, scan] of scans.entries()) {
    pages.push(await sample.intake.ingest(scan.data, { mimeType: scan.mimeType }, { kind: 'import', fileName: `page-${index + 1}` }));
  }
  await sample.recognition.idle();
  const document = await sample.documents.create(pages.map((page) => page.id), { title: `Benchmark, ${count} pages`, caseNumber: 'BENCH-1' });

  const runs: number[] = [];
  let pdf: Uint8Array = new Uint8Array();
  for (let round = 0; round < 3; round += 1) {
    const started = performance.now();
    pdf = await documentPdf(sample.archive, document);
    runs.push((performance.now() - started) / 1000);
  }
  const pdfSeconds = Math.min(...runs);
  log(`PDF: ${runs.map((s) => fmt(s)).join(' / ')} s over 3 runs (best ${fmt(pdfSeconds)} s, ${fmt((pdfSeconds / count) * 1000, 0)} ms/page); ${fmt(pdf.length / 1048576, 1)} MB = ${fmt(pdf.length / imageBytes)} x the originals`);
  const ratio = pdfSeconds / ocrSeconds;
  log(`ratio PDF/OCR = ${fmt(ratio, 3)} (target < 0.1): ${ratio < 0.1 ? 'PASS' : 'FAIL'}`);
  if (ratio >= 0.1) process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
