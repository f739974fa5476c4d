import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrResult } from '../../common/api/contract';
import { createOcrEngine } from '../ocr/ocr-engine';
import { readFixture, requireBuiltWorker } from '../ocr/test-fixtures';
import { buildSearchablePdf, type PdfDocumentDescription } from './build-pdf';
import { extractWords, runTool, writePdf } from './pdf-test-tools';

const description: PdfDocumentDescription = {
  title: 'Rasti 2026/114 – Procesverbal',
  subject: 'Case 2026/114, autopsy report',
  keywords: ['autopsi', 'Prishtinë'],
  identifier: 'doc-7f3a',
  documentUuid: '0d7c55a4-3b1e-4b8f-9a51-6f0f1d2c3b4a',
  creatorTool: 'Arkiva 0.1.0',
  createdAt: new Date('2026-11-20T10:00:00Z'),
  modifiedAt: new Date('2026-11-22T08:30:00Z'),
};

const PHOTOTEST_DPI = 200; // recorded in the TIFF
let dir = '';
let phototest: Buffer;
let ocr: OcrResult;
let file = '';
let pdfBytes: Uint8Array;

beforeAll(async () => {
  requireBuiltWorker();
  dir = await mkdtemp(path.join(tmpdir(), 'arkiva-pdf-'));
  phototest = readFixture('phototest.tif');
  const engine = await createOcrEngine({ workers: 1 });
  try {
    ocr = await engine.recognize(phototest);
  } finally {
    await engine.close();
  }
  pdfBytes = await buildSearchablePdf([{ image: phototest, ocr }], description);
  file = await writePdf(dir, 'phototest.pdf', pdfBytes);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('searchable PDF/A-2b', () => {
  it('passes qpdf --check', async () => {
    const check = await runTool('qpdf', ['--check', file]);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('No syntax or stream encoding errors');
  });

  it('gives pdftotext the OCR words in reading order', async () => {
    const { stdout } = await runTool('pdftotext', [file, '-']);
    const words = (text: string) => text.split(/\s+/).filter(Boolean);
    expect(words(stdout)).toEqual(words(ocr.text));
    expect(stdout).toContain('The quick brown dog jumped over the');
  });

  it('places every word on its box in the image (pdftotext -bbox against the OCR boxes in points)', async () => {
    const [page] = await extractWords(file);
    const scale = 72 / PHOTOTEST_DPI;
    const ocrWords = ocr.words.filter((word) => word.text.trim());
    expect(page?.map((word) => word.text)).toEqual(ocrWords.map((word) => word.text.trim()));
    for (const [index, word] of (page ?? []).entries()) {
      const box = (ocrWords[index] as (typeof ocrWords)[number]).bbox;
      expect(word.xMin).toBeCloseTo(box.x0 * scale, 1);
      expect(word.xMax).toBeCloseTo(box.x1 * scale, 1);
      expect(word.yMin).toBeCloseTo(box.y0 * scale, 1);
      expect(Math.abs(word.yMax - box.y1 * scale)).toBeLessThan(0.05);
    }
  });

  it('embeds the text font', async () => {
    const { stdout } = await runTool('pdffonts', [file]);
    const row = stdout.split('\n').find((line) => line.startsWith('GlyphLessFont'));
    expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes\s+no\s+yes/); // embedded, not subset, with ToUnicode
  });

  it('declares PDF/A-2B in XMP, agreeing with the Info dictionary', async () => {
    const { stdout: xmp } = await runTool('pdfinfo', ['-meta', file]);
    expect(xmp).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(xmp).toContain('Rasti 2026/114 – Procesverbal');
    expect(xmp).toContain('<xmp:CreateDate>2026-11-20T10:00:00Z</xmp:CreateDate>');
    expect(xmp).toContain(`<xmpMM:DocumentID>uuid:${description.documentUuid}</xmpMM:DocumentID>`);
    const { stdout: info } = await runTool('pdfinfo', ['-isodates', file]);
    expect(info).toMatch(/Title:\s+Rasti 2026\/114 – Procesverbal/);
    expect(info).toMatch(/CreationDate:\s+2026-11-20T10:00:00Z/);
    expect(info).toMatch(/Encrypted:\s+no/);
  });

  it('has an sRGB output intent with an embedded ICC profile, a document ID, and no transparency', async () => {
    const pdf = await PDFDocument.load(pdfBytes, { updateMetadata: false });
    const intents = pdf.catalog.lookup(PDFName.of('OutputIntents'), PDFArray);
    const intent = intents.lookup(0, PDFDict);
    expect(intent.get(PDFName.of('S'))).toBe(PDFName.of('GTS_PDFA1'));
    const profile = intent.lookup(PDFName.of('DestOutputProfile'));
    if (!(profile instanceof PDFRawStream)) throw new Error('DestOutputProfile is not a stream');
    expect(profile.dict.get(PDFName.of('N'))?.toString()).toBe('3');
    const id = pdf.context.trailerInfo.ID;
    expect(id?.toString()).toMatch(/^\[ <[0-9A-F]{32}> <[0-9A-F]{32}> \]$/i);
    const page = pdf.getPage(0).node;
    expect(page.get(PDFName.of('Group'))).toBeUndefined();
  });

  it('stores a black-and-white scan as CCITT G4 that renders as the original, and stays close to the image size', async () => {
    const { stdout } = await runTool('pdfimages', ['-list', file]);
    expect(stdout).toMatch(/image\s+640\s+480\s+gray\s+1\s+1\s+ccitt/);
    const imageBytes = Number(/ccitt\s+no\s+\d+\s+0\s+\d+\s+\d+\s+(\d+)B/.exec(stdout)?.[1]);
    // Fixed overhead: the 0.6 KB font, its 128 KB CIDToGIDMap (compresses to ~0.3 KB), the ICC profile, XMP, the text.
    expect(pdfBytes.length).toBeLessThan(imageBytes + 12_000);

    const rendered = path.join(dir, 'rendered');
    await runTool('pdftoppm', ['-r', String(PHOTOTEST_DPI), '-gray', '-png', '-aa', 'no', '-aaVector', 'no', '-singlefile', file, rendered]);
    const ours = await sharp(`${rendered}.png`).toColourspace('b-w').raw().toBuffer();
    const original = await sharp(phototest).toColourspace('b-w').raw().toBuffer();
    expect(ours.length).toBe(original.length);
    let differing = 0;
    for (let i = 0; i < original.length; i += 1) if (Math.abs((ours[i] ?? 0) - (original[i] ?? 0)) > 128) differing += 1;
    // Only the edges of strokes may land half a pixel off; an inverted image would differ at ~95%.
    expect(differing / original.length).toBeLessThan(0.05);
  });

  it('produces the same bytes for the same document version', async () => {
    const again = await buildSearchablePdf([{ image: phototest, ocr }], description);
    expect(Buffer.from(again).equals(Buffer.from(pdfBytes))).toBe(true);
  });
});

describe('page images and text in other scripts', () => {
  const page = (background: string, channels: 1 | 3) =>
    sharp({ create: { width: 850, height: 1100, channels: 3, background } })
      .composite([{ input: { create: { width: 400, height: 60, channels: 3, background: '#203040' } }, left: 100, top: 100 }])
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .png()
      .toBuffer();

  const words = (texts: string[]): OcrResult => ({
    text: texts.join(' '),
    confidence: 90,
    languages: 'srp+sqi',
    words: texts.map((text, index) => ({ text, confidence: 90, bbox: { x0: 100 + index * 210, y0: 100, x1: 300 + index * 210, y1: 160 } })),
  });

  it('uses JPEG for colour and gray pages, G4 for an 8-bit black-and-white image, and carries Cyrillic and Albanian text', async () => {
    const colour = await page('#f0e0c0', 3);
    const gray = await page('#d0d0d0', 1);
    const bilevel = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#ffffff' } })
      .composite([{ input: { create: { width: 100, height: 30, channels: 3, background: '#000000' } }, left: 50, top: 50 }])
      .png()
      .toBuffer();
    const bytes = await buildSearchablePdf(
      [
        { image: colour, ocr: words(['Приштина', 'Ђорђе']), dpi: 100 },
        { image: gray, ocr: words(['çështja', 'Gjykata']), dpi: 100 },
        { image: bilevel, rotation: 90 },
      ],
      description,
    );
    const pdfFile = await writePdf(dir, 'mixed.pdf', bytes);
    expect((await runTool('qpdf', ['--check', pdfFile])).code).toBe(0);
    const { stdout: list } = await runTool('pdfimages', ['-list', pdfFile]);
    expect(list).toMatch(/1\s+0\s+image\s+850\s+1100\s+rgb\s+3\s+8\s+jpeg/);
    expect(list).toMatch(/2\s+1\s+image\s+850\s+1100\s+gray\s+1\s+8\s+jpeg/);
    expect(list).toMatch(/3\s+2\s+image\s+608\s+400\s+gray\s+1\s+1\s+ccitt/);
    const pages = await extractWords(pdfFile);
    expect(pages.map((words) => words.map((word) => word.text))).toEqual([['Приштина', 'Ђорђе'], ['çështja', 'Gjykata'], []]);
    expect(pages[0]?.[0]?.xMin).toBeCloseTo(72, 1); // 100 px at 100 dpi
    const { stdout: info } = await runTool('pdfinfo', ['-f', '3', '-l', '3', pdfFile]);
    expect(info).toMatch(/Page\s+3 rot:\s+90/);
    expect(info).toMatch(/Page\s+3 size:\s+144 x 96 pts/);
  });

  it('embeds a JPEG original byte for byte (no second generation of compression loss)', async () => {
    const jpeg = await sharp(await page('#e8d8b0', 3)).jpeg({ quality: 90 }).toBuffer();
    const bytes = Buffer.from(await buildSearchablePdf([{ image: jpeg }], description));
    expect(bytes.indexOf(jpeg)).toBeGreaterThan(0);
    expect(bytes.length).toBeLessThan(jpeg.length + 12_000);
  });

  it('turns a page OCR found sideways upright, and its word boxes with it', async () => {
    // A 600x400 original whose text runs top to bottom: OCR turned it 90° clockwise to read it
    // and reported the word's box in the original's pixels (tall and narrow).
    const sideways = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#ffffff' } })
      .composite([{ input: { create: { width: 40, height: 200, channels: 3, background: '#000000' } }, left: 100, top: 50 }])
      .png()
      .toBuffer();
    const ocr: OcrResult = { text: 'Upright', confidence: 90, languages: 'eng', orientation: 90, words: [{ text: 'Upright', confidence: 90, bbox: { x0: 100, y0: 50, x1: 140, y1: 250 } }] };
    const pdfFile = await writePdf(dir, 'turned.pdf', await buildSearchablePdf([{ image: sideways, ocr, uprightTurn: 90, dpi: 72 }], description));
    const { stdout: info } = await runTool('pdfinfo', [pdfFile]);
    expect(info).toMatch(/Page size:\s+400 x 600 pts/);
    const [[word]] = (await extractWords(pdfFile)) as [[{ text: string; xMin: number; yMin: number; xMax: number; yMax: number }]];
    expect(word.text).toBe('Upright');
    // Turned clockwise: x' = H - y, y' = x (H = 400).
    expect([word.xMin, word.yMin, word.xMax].map(Math.round)).toEqual([150, 100, 350]);
    expect(word.yMax).toBeCloseTo(140, 0);
  });

  it('refuses an empty document and bytes that are not an image', async () => {
    await expect(buildSearchablePdf([], description)).rejects.toThrow(/at least one page/);
    await expect(buildSearchablePdf([{ image: Buffer.from('not an image') }], description)).rejects.toThrow();
  });
});
