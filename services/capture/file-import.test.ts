import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, OcrResult } from '../../common/api/contract';
import { EventBus } from '../api/event-bus';
import { ArchiveStore } from '../archive/archive-store';
import { PageIntake } from '../pages/page-intake';
import { PageRecognition } from '../pages/page-recognition';
import { importFile } from './file-import';

let root: string;
let archive: ArchiveStore;
let recognition: PageRecognition;
let intake: PageIntake;
let recognized: number;
let events: EventName[];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'arkiva-import-'));
  archive = await ArchiveStore.open(root);
  const bus = new EventBus();
  events = [];
  bus.subscribe((event) => events.push(event));
  recognized = 0;
  // Stands in for Tesseract: counts the pages sent to OCR.
  recognition = new PageRecognition(archive, bus, async () => ({
    recognize: async (): Promise<OcrResult> => {
      recognized += 1;
      return { text: 'ocr', confidence: 90, languages: 'eng', words: [] };
    },
  }));
  intake = new PageIntake(archive, bus, recognition);
});
afterEach(async () => {
  await recognition.idle();
  await rm(root, { recursive: true, force: true });
});

const deps = () => ({ sink: intake, originals: archive });

async function sheet(n: number): Promise<Buffer> {
  const svg = `<svg width="300" height="200"><rect width="100%" height="100%" fill="white"/><rect x="${40 * n}" y="20" width="60" height="60" fill="black"/></svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().png().toBuffer();
}

describe('importFile', () => {
  it('stores a one-page image as the page itself, its source naming the file only', async () => {
    const png = await sheet(1);
    const { pages, error } = await importFile('page.png', png, deps());
    expect(error).toBeUndefined();
    expect(pages).toHaveLength(1);
    expect(pages[0]?.id).toBe(ArchiveStore.hash(png));
    expect(pages[0]?.source).toEqual({ kind: 'import', fileName: 'page.png' });
    await recognition.idle();
    expect(recognized).toBe(1);
  });

  it('keeps a multi-page TIFF whole by its hash, and makes each page a page of its own that points to it', async () => {
    const tiff = await sharp(await Promise.all([1, 2, 3].map(sheet)), { join: { animated: true } }).tiff({ compression: 'lzw' }).toBuffer();
    const fileSha256 = ArchiveStore.hash(tiff);
    const { pages, error } = await importFile('box-12.tif', tiff, deps());
    expect(error).toBeUndefined();
    expect(pages.map((page) => page.source)).toEqual([1, 2, 3].map((pageNumber) => ({ kind: 'import', fileName: 'box-12.tif', fileSha256, pageNumber, pageCount: 3 })));
    // The whole file is an original of record, byte for byte.
    expect((await archive.readOriginal(fileSha256, 'image/tiff')).equals(tiff)).toBe(true);
    // Each page is stored as its own image, identified by its own hash.
    for (const page of pages) {
      expect(page.originalMimeType).toBe('image/png');
      expect(ArchiveStore.hash(await archive.readOriginal(page.id, 'image/png'))).toBe(page.id);
    }
    expect(new Set(pages.map((page) => page.id)).size).toBe(3);
  });

  it('keeps a born-digital PDF page\'s own text, marked as such, and does not OCR it', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([300, 200]).drawText('Raport i policise', { x: 20, y: 150, size: 14, font });
    const pdf = Buffer.from(await doc.save());
    const { pages } = await importFile('report.pdf', pdf, deps());
    await recognition.idle();
    expect(recognized).toBe(0);
    expect(pages[0]).toMatchObject({ status: 'recognized', textSource: 'pdf-text-layer', ocr: { text: 'Raport i policise' } });
    expect(pages[0]?.ocr?.words.map((word) => word.text)).toEqual(['Raport', 'i', 'policise']);
    expect((await archive.getPage(pages[0]?.id ?? ''))?.textSource).toBe('pdf-text-layer');
    expect(await readFile(path.join(root, 'originals', ArchiveStore.hash(pdf).slice(0, 2), `${ArchiveStore.hash(pdf)}.pdf`))).toEqual(pdf);
    expect(events).toEqual(['page.stored', 'page.recognized']);
  });

  it('reports a bad file with a clear error and stores nothing', async () => {
    const { pages, error } = await importFile('broken.pdf', Buffer.from('%PDF-1.4\n%%EOF'), deps());
    expect(pages).toEqual([]);
    expect(error).toMatchObject({ code: 'corrupt', fileName: 'broken.pdf' });
    expect(await archive.listPages()).toEqual([]);
  });
});
